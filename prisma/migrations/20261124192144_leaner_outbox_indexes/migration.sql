-- DropIndex
DROP INDEX "MailMessage_messageId_key";

-- DropIndex
DROP INDEX "MailMessage_incidentId_idx";

