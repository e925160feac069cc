-- AlterTable
ALTER TABLE "MailFreeze" ADD COLUMN     "incidentId" UUID;

-- CreateIndex
CREATE INDEX "MailFreeze_incidentId_idx" ON "MailFreeze"("incidentId");

-- AddForeignKey
ALTER TABLE "MailFreeze" ADD CONSTRAINT "MailFreeze_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

