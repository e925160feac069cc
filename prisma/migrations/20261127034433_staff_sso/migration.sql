-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "ssoIssuer" TEXT,
ADD COLUMN     "ssoSubject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_ssoIssuer_ssoSubject_key" ON "StaffUser"("ssoIssuer", "ssoSubject");


-- An SSO identity is its issuer and subject together, or neither (a local account).
ALTER TABLE "StaffUser" ADD CONSTRAINT "StaffUser_sso_pair" CHECK (("ssoIssuer" IS NULL) = ("ssoSubject" IS NULL));
