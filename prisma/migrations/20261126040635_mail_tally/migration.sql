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
-- writers never wait on a shared counter; firebreak_fold_mail_tally folds them. The functions run
-- with the owner's rights (SECURITY DEFINER, as the audit append): the app's role may only read
-- the tally (lib/db/roles.ts), so nothing but a change of the outbox changes a count.
CREATE FUNCTION firebreak_mail_tally() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
REVOKE ALL ON FUNCTION firebreak_mail_tally() FROM PUBLIC;

CREATE TRIGGER "MailMessage_tally_insert" AFTER INSERT ON "MailMessage"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally();
CREATE TRIGGER "MailMessage_tally_update" AFTER UPDATE ON "MailMessage"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally();
CREATE TRIGGER "MailMessage_tally_delete" AFTER DELETE ON "MailMessage"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally();

CREATE FUNCTION firebreak_mail_tally_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM "MailTally";
  RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION firebreak_mail_tally_truncate() FROM PUBLIC;
CREATE TRIGGER "MailMessage_tally_truncate" AFTER TRUNCATE ON "MailMessage"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_mail_tally_truncate();

-- The fold: every row into one per group, by one caller at a time (the others return 0 at once).
-- Rows appended meanwhile are not in its snapshot and stay for the next fold; the delete and the
-- sums commit together, so a reader sees either the rows or their sum. Returns the rows folded.
-- Any role may run it: it never changes a sum.
CREATE FUNCTION firebreak_fold_mail_tally() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE folded integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(1296124236, 1000) THEN -- ("MAIL", 1000): lib/mail/locks.ts keys streams 0..2
    RETURN 0;
  END IF;
  WITH d AS (DELETE FROM "MailTally" RETURNING stream, "campaignId", status, "holdReason", n),
       s AS (INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
             SELECT stream, "campaignId", status, "holdReason", sum(n) FROM d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0)
  SELECT count(*) INTO folded FROM d;
  RETURN folded;
END;
$$;

-- The repair, should the tally ever disagree with the outbox (a restore that skipped triggers, a
-- hand edit as the owner): counts the outbox again, holding off its writers (SHARE lock) until the
-- new tally commits. Any role may run it (`firebreak mail retally`): it only sets the truth.
CREATE FUNCTION firebreak_retally_mail() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE messages integer;
BEGIN
  LOCK TABLE "MailMessage" IN SHARE MODE;
  DELETE FROM "MailTally";
  INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
  SELECT stream, "campaignId", status, "holdReason", count(*) FROM "MailMessage" GROUP BY 1, 2, 3, 4;
  SELECT coalesce(sum(n), 0) INTO messages FROM "MailTally";
  RETURN messages;
END;
$$;

-- The mail already there, counted once.
SELECT firebreak_retally_mail();
