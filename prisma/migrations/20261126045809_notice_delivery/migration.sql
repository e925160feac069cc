-- CreateEnum
CREATE TYPE "NoticeDeliveryStatus" AS ENUM ('RUNNING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "NoticeDelivery" (
    "noticeId" UUID NOT NULL,
    "disclosureId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "incidentId" UUID NOT NULL,
    "notify" "NoticeNotify" NOT NULL,
    "status" "NoticeDeliveryStatus" NOT NULL DEFAULT 'RUNNING',
    "cursor" UUID,
    "queued" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "NoticeDelivery_pkey" PRIMARY KEY ("noticeId")
);

-- CreateIndex
CREATE INDEX "NoticeDelivery_status_idx" ON "NoticeDelivery"("status");

