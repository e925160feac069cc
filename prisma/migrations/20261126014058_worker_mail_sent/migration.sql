-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN     "mailSent" INTEGER NOT NULL DEFAULT 0;

