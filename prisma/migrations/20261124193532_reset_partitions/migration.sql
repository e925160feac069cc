-- AlterTable
ALTER TABLE "ResetCampaign" DROP COLUMN "cursor";

-- CreateTable
CREATE TABLE "ResetPartition" (
    "campaignId" UUID NOT NULL,
    "partition" INTEGER NOT NULL,
    "lowerId" UUID NOT NULL,
    "upperId" UUID,
    "cursor" UUID,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "done" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ResetPartition_pkey" PRIMARY KEY ("campaignId","partition")
);

