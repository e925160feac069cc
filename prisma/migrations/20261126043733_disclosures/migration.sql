-- CreateEnum
CREATE TYPE "DisclosureStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'APPROVED', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "DisclosureAudience" AS ENUM ('CUSTOMERS');

-- CreateEnum
CREATE TYPE "NoticeNotify" AS ENUM ('NONE', 'AFFECTED', 'ALL');

-- CreateTable
CREATE TABLE "Disclosure" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "audience" "DisclosureAudience" NOT NULL DEFAULT 'CUSTOMERS',
    "status" "DisclosureStatus" NOT NULL DEFAULT 'DRAFT',
    "latestRevision" INTEGER NOT NULL DEFAULT 1,
    "publishedRevision" INTEGER,
    "createdById" UUID,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Disclosure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisclosureRevision" (
    "disclosureId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "authorId" UUID,
    "author" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisclosureRevision_pkey" PRIMARY KEY ("disclosureId","number")
);

-- CreateTable
CREATE TABLE "DisclosureApproval" (
    "id" UUID NOT NULL,
    "disclosureId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "approverId" UUID NOT NULL,
    "approver" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "approvedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisclosureApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublishedNotice" (
    "id" UUID NOT NULL,
    "disclosureId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "publishedById" UUID,
    "publishedBy" TEXT NOT NULL,
    "notify" "NoticeNotify" NOT NULL,
    "payload" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,

    CONSTRAINT "PublishedNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Disclosure_incidentId_idx" ON "Disclosure"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "DisclosureApproval_disclosureId_revision_approverId_key" ON "DisclosureApproval"("disclosureId", "revision", "approverId");

-- CreateIndex
CREATE INDEX "PublishedNotice_publishedAt_idx" ON "PublishedNotice"("publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PublishedNotice_disclosureId_revision_key" ON "PublishedNotice"("disclosureId", "revision");

-- AddForeignKey
ALTER TABLE "Disclosure" ADD CONSTRAINT "Disclosure_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisclosureRevision" ADD CONSTRAINT "DisclosureRevision_disclosureId_fkey" FOREIGN KEY ("disclosureId") REFERENCES "Disclosure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisclosureApproval" ADD CONSTRAINT "DisclosureApproval_disclosureId_fkey" FOREIGN KEY ("disclosureId") REFERENCES "Disclosure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedNotice" ADD CONSTRAINT "PublishedNotice_disclosureId_fkey" FOREIGN KEY ("disclosureId") REFERENCES "Disclosure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: what was written, approved and published stays as it was. An edit is a new
-- revision; an approval or a publication is never changed or withdrawn by rewriting it (and the
-- app's role may only SELECT and INSERT these tables: lib/db/roles.ts).
CREATE TRIGGER "DisclosureRevision_append_only"
  BEFORE UPDATE OR DELETE ON "DisclosureRevision"
  FOR EACH ROW EXECUTE FUNCTION firebreak_append_only();
CREATE TRIGGER "DisclosureApproval_append_only"
  BEFORE UPDATE OR DELETE ON "DisclosureApproval"
  FOR EACH ROW EXECUTE FUNCTION firebreak_append_only();
CREATE TRIGGER "PublishedNotice_append_only"
  BEFORE UPDATE OR DELETE ON "PublishedNotice"
  FOR EACH ROW EXECUTE FUNCTION firebreak_append_only();
