-- CreateEnum
CREATE TYPE "MailHoldReason" AS ENUM ('FROZEN', 'OUTCOME_UNKNOWN');

-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN     "holdReason" "MailHoldReason";

-- CreateTable
CREATE TABLE "MailAttempt" (
    "messageId" UUID NOT NULL,
    "claimToken" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" TIMESTAMPTZ(3),
    "response" TEXT,

    CONSTRAINT "MailAttempt_pkey" PRIMARY KEY ("messageId")
);


-- Hand-written: every path that holds mail (a freeze, an enqueue into a frozen stream, a chunk
-- that meets a freeze) holds it because of a freeze unless it says otherwise; leaving HELD clears
-- the reason. The WHEN clause keeps the trigger off the hot path of sending.
CREATE FUNCTION firebreak_hold_reason() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."holdReason" := CASE WHEN NEW.status = 'HELD' THEN coalesce(NEW."holdReason", 'FROZEN') END;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "MailMessage_hold_reason"
  BEFORE INSERT OR UPDATE ON "MailMessage"
  FOR EACH ROW
  WHEN ((NEW.status = 'HELD' AND NEW."holdReason" IS NULL) OR (NEW.status <> 'HELD' AND NEW."holdReason" IS NOT NULL))
  EXECUTE FUNCTION firebreak_hold_reason();

-- Existing held mail was held by freezes or by a lost worker (its lastError says which).
UPDATE "MailMessage" SET "holdReason" = CASE WHEN "lastError" LIKE 'outcome unknown%' THEN 'OUTCOME_UNKNOWN'::"MailHoldReason" ELSE 'FROZEN'::"MailHoldReason" END
 WHERE status = 'HELD';

-- Hand-written: attempt marks are written for every few messages sent and gone within a second;
-- not WAL-logged, they cost PostgreSQL little. They survive any crash of a worker (what they are
-- for); a crash of PostgreSQL itself empties the table, and then the worker — which outlives it
-- and keeps the outcomes it saw in memory — writes them when the database is back. Only losing
-- both at the same moment can send a message twice (README, "Outbound mail").
ALTER TABLE "MailAttempt" SET UNLOGGED;
