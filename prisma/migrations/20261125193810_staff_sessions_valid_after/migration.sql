-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "sessionsValidAfter" TIMESTAMPTZ(3);

