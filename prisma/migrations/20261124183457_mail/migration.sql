-- CreateEnum
CREATE TYPE "MailStream" AS ENUM ('SECURITY', 'TRANSACTIONAL', 'BULK');

-- CreateEnum
CREATE TYPE "MailStatus" AS ENUM ('QUEUED', 'HELD', 'SENDING', 'SENT', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" UUID NOT NULL,
    "stream" "MailStream" NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "status" "MailStatus" NOT NULL DEFAULT 'QUEUED',
    "idempotencyKey" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMPTZ(3),
    "claimToken" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "smtpResponse" TEXT,
    "incidentId" UUID,
    "campaignId" UUID,
    "disclosureId" UUID,

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailFreeze" (
    "id" UUID NOT NULL,
    "streams" "MailStream"[],
    "reason" TEXT NOT NULL,
    "frozenById" UUID,
    "frozenBy" TEXT NOT NULL,
    "frozenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liftedById" UUID,
    "liftedBy" TEXT,
    "liftedAt" TIMESTAMPTZ(3),
    "liftReason" TEXT,

    CONSTRAINT "MailFreeze_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SinkMessage" (
    "id" UUID NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mailFrom" TEXT NOT NULL,
    "rcptTo" TEXT[],
    "messageId" TEXT,
    "headerTo" TEXT,
    "headerCc" TEXT,
    "headerBcc" TEXT,
    "subject" TEXT,
    "raw" TEXT NOT NULL,

    CONSTRAINT "SinkMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_idempotencyKey_key" ON "MailMessage"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_messageId_key" ON "MailMessage"("messageId");

-- CreateIndex
CREATE INDEX "MailMessage_status_stream_nextAttemptAt_idx" ON "MailMessage"("status", "stream", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "MailMessage_status_sentAt_idx" ON "MailMessage"("status", "sentAt");

-- CreateIndex
CREATE INDEX "MailMessage_incidentId_idx" ON "MailMessage"("incidentId");

-- CreateIndex
CREATE INDEX "MailMessage_campaignId_idx" ON "MailMessage"("campaignId");

-- CreateIndex
CREATE INDEX "MailFreeze_liftedAt_idx" ON "MailFreeze"("liftedAt");

-- CreateIndex
CREATE INDEX "SinkMessage_messageId_idx" ON "SinkMessage"("messageId");

-- CreateIndex
CREATE INDEX "SinkMessage_receivedAt_idx" ON "SinkMessage"("receivedAt");


-- Hand-written: the database itself refuses a recipient field holding more than one address
-- (the leak that started it all). lib/mail validates first; this is the last line.
ALTER TABLE "MailMessage" ADD CONSTRAINT "MailMessage_single_recipient"
  CHECK ("to" !~ '[,;<>[:space:]]' AND "to" ~ '^[^@]+@[^@]+$');
