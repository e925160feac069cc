-- CreateTable
CREATE TABLE "MailTally" (
    "id" BIGSERIAL NOT NULL,
    "stream" "MailStream" NOT NULL,
    "campaignId" UUID,
    "status" "MailStatus" NOT NULL,
    "holdReason" "MailHoldReason",
    "n" INTEGER NOT NULL,

    CONSTRAINT "MailTally_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MailTally_campaignId_idx" ON "MailTally"("campaignId");

-- CreateIndex
CREATE INDEX "MailMessage_holdReason_queuedAt_idx" ON "MailMessage"("holdReason", "queuedAt");


-- Hand-written: the tally is kept by statement-level AFTER triggers with transition tables, in the
-- same transaction as the change. One row per statement and group (+n for the rows a statement
-- adds to a group, -n for those it takes away): a fan-out chunk of 1,000 reset mails adds one row,
-- a dispatcher chunk's outcome two or three. Rows are only ever inserted here, so concurrent
-- writers never wait on a shared counter; lib/mail/tally.ts folds them. TRUNCATE empties both.
CREATE FUNCTION firebreak_mail_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
    SELECT stream, "campaignId", status, "holdReason", count(*) FROM added GROUP BY 1, 2, 3, 4;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
    SELECT stream, "campaignId", status, "holdReason", -count(*) FROM removed GROUP BY 1, 2, 3, 4;
  ELSE
    INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
    SELECT stream, "campaignId", status, "holdReason", sum(n) FROM (
        SELECT stream, "campaignId", status, "holdReason", 1 AS n FROM added
        UNION ALL
        SELECT stream, "campaignId", status, "holdReason", -1 FROM removed
      ) d
     GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "MailMessage_tally_insert" AFTER INSERT ON "MailMessage"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally();
CREATE TRIGGER "MailMessage_tally_update" AFTER UPDATE ON "MailMessage"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally();
CREATE TRIGGER "MailMessage_tally_delete" AFTER DELETE ON "MailMessage"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally();

CREATE FUNCTION firebreak_mail_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "MailTally";
  RETURN NULL;
END;
$$;
CREATE TRIGGER "MailMessage_tally_truncate" AFTER TRUNCATE ON "MailMessage"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally_truncate();

-- The mail already there, counted once.
INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
SELECT stream, "campaignId", status, "holdReason", count(*) FROM "MailMessage" GROUP BY 1, 2, 3, 4;
