-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "failedLogins" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "loginLockedUntil" TIMESTAMPTZ(3);

