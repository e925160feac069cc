-- CreateTable
CREATE TABLE "MailSlot" (
    "id" UUID NOT NULL,
    "claimToken" TEXT NOT NULL,
    "inFlight" UUID,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted" UUID[] DEFAULT ARRAY[]::UUID[],
    "responses" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "MailSlot_pkey" PRIMARY KEY ("id")
);

-- Hand-written: marks a lost worker left in the old table keep their meaning for recovery
-- (accepted → SENT; started, not accepted → uncertain).
INSERT INTO "MailSlot" ("id", "claimToken", "inFlight", "startedAt", "accepted", "responses")
SELECT gen_random_uuid(), "claimToken",
       CASE WHEN "acceptedAt" IS NULL THEN "messageId" END, "startedAt",
       CASE WHEN "acceptedAt" IS NULL THEN ARRAY[]::UUID[] ELSE ARRAY["messageId"] END,
       CASE WHEN "acceptedAt" IS NULL THEN ARRAY[]::TEXT[] ELSE ARRAY[coalesce("response", 'accepted')] END
  FROM "MailAttempt";

-- DropTable
DROP TABLE "MailAttempt";

-- Hand-written: a slot row is updated once per message sent and gone when its chunk commits; not
-- WAL-logged, it costs PostgreSQL little. It survives any crash of a worker (what it is for); a
-- crash of PostgreSQL itself empties the table, and then the worker — which outlives it and keeps
-- the outcomes it saw in memory — writes them when the database is back. Only losing both at the
-- same moment can send a message twice (README, "Outbound mail").
ALTER TABLE "MailSlot" SET UNLOGGED;
