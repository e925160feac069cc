-- Hand-written: a directory that already holds two customers with one address (possible through
-- imports before this migration) cannot take the unique index. Say which, instead of failing on
-- the first duplicate key: resolve them in the exchange's directory and import again.
DO $$
DECLARE duplicates int;
BEGIN
  SELECT count(*) INTO duplicates FROM (SELECT 1 FROM "Customer" GROUP BY email HAVING count(*) > 1) d;
  IF duplicates > 0 THEN
    RAISE EXCEPTION '% email address(es) belong to more than one customer; find them with: SELECT email, array_agg("externalId") FROM "Customer" GROUP BY email HAVING count(*) > 1', duplicates;
  END IF;
END $$;

-- CreateEnum
CREATE TYPE "CredentialChangeStatus" AS ENUM ('PENDING_APPROVAL', 'APPLIED', 'CANCELLED');

-- DropIndex
DROP INDEX "Customer_email_idx";

-- CreateTable
CREATE TABLE "CredentialChangeRequest" (
    "id" UUID NOT NULL,
    "status" "CredentialChangeStatus" NOT NULL DEFAULT 'PENDING_APPROVAL',
    "reason" TEXT NOT NULL,
    "requestedById" UUID,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "customerCount" INTEGER NOT NULL,
    "emailCount" INTEGER NOT NULL,
    "passwordCount" INTEGER NOT NULL,
    "decidedById" UUID,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "appliedCount" INTEGER,
    "staleCount" INTEGER,

    CONSTRAINT "CredentialChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CredentialChange" (
    "requestId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "oldEmail" TEXT NOT NULL,
    "newEmail" TEXT,
    "newPasswordHash" TEXT,
    "credentialsChangedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CredentialChange_pkey" PRIMARY KEY ("requestId","customerId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");

