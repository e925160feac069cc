-- CreateTable
CREATE TABLE "MailLog" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "messages" INTEGER NOT NULL,
    "duplicates" INTEGER NOT NULL,
    "malformed" INTEGER NOT NULL,
    "malformedSample" JSONB NOT NULL DEFAULT '[]',
    "recipients" BIGINT NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "importedById" UUID,
    "importedBy" TEXT NOT NULL,

    CONSTRAINT "MailLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailLogMessage" (
    "key" BIGSERIAL NOT NULL,
    "incidentId" UUID NOT NULL,
    "logId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "sender" TEXT,
    "visible" TEXT[],
    "hidden" TEXT[],
    "recipients" INTEGER NOT NULL,
    "entries" INTEGER NOT NULL,

    CONSTRAINT "MailLogMessage_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "MailExposure" (
    "incidentId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "messages" INTEGER NOT NULL,
    "seenBy" INTEGER NOT NULL,
    "messageKeys" BIGINT[],
    "customerId" UUID,

    CONSTRAINT "MailExposure_pkey" PRIMARY KEY ("incidentId","address")
);

-- CreateTable
CREATE TABLE "MailExposureSummary" (
    "incidentId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "messages" INTEGER NOT NULL,
    "recipients" BIGINT NOT NULL,
    "exposingMessages" INTEGER NOT NULL,
    "multiVisibleMessages" INTEGER NOT NULL,
    "exposedAddresses" INTEGER NOT NULL,
    "exposedCustomers" INTEGER NOT NULL,
    "unmatchedAddresses" INTEGER NOT NULL,
    "malformed" INTEGER NOT NULL,
    "histogram" JSONB NOT NULL,
    "markedVersion" INTEGER,
    "analysedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MailExposureSummary_pkey" PRIMARY KEY ("incidentId")
);

-- CreateIndex
CREATE INDEX "MailLog_incidentId_importedAt_idx" ON "MailLog"("incidentId", "importedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailLogMessage_incidentId_messageId_key" ON "MailLogMessage"("incidentId", "messageId");

-- AddForeignKey
ALTER TABLE "MailLog" ADD CONSTRAINT "MailLog_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailExposureSummary" ADD CONSTRAINT "MailExposureSummary_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

