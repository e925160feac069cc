-- Hand-written: the database checks every append to the audit log, so that the app's role
-- (lib/db/roles.ts), which may INSERT events but owns nothing, can neither break the chain nor
-- back-date an event, and no longer needs to write AuditHead: this trigger moves it. It runs with
-- its owner's rights (the schema owner who ran this migration). Whoever holds the app's
-- credentials can still append plausible events at the current time — they are the app — but not
-- rewrite, reorder, delete or antedate any.
CREATE FUNCTION firebreak_audit_append() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head record;
BEGIN
  SELECT seq, hash INTO head FROM public."AuditHead" WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    IF NEW.seq <> 1 OR NEW."prevHash" <> repeat('0', 64) THEN
      RAISE EXCEPTION 'audit event % does not start the chain', NEW.seq USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO public."AuditHead" (id, seq, hash) VALUES (1, NEW.seq, NEW.hash);
  ELSE
    IF NEW.seq <> head.seq + 1 OR NEW."prevHash" <> head.hash THEN
      RAISE EXCEPTION 'audit event % does not extend the chain (its head is event %)', NEW.seq, head.seq USING ERRCODE = 'check_violation';
    END IF;
    UPDATE public."AuditHead" SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  END IF;
  -- The event's time is the time of the append (within 5 minutes of the database's clock, for
  -- hosts whose clocks disagree a little): no event can be written into the past.
  IF NEW.at NOT BETWEEN clock_timestamp() - interval '5 minutes' AND clock_timestamp() + interval '5 minutes' THEN
    RAISE EXCEPTION 'audit event % is dated %, not now', NEW.seq, NEW.at USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION firebreak_audit_append() FROM PUBLIC;

CREATE TRIGGER "AuditEvent_append"
  BEFORE INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION firebreak_audit_append();

-- A verification's time is the database's, so a row cannot claim to come from the future (and
-- stay "the latest" on the Audit page).
CREATE FUNCTION firebreak_stamp_now() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER "AuditVerification_stamp"
  BEFORE INSERT ON "AuditVerification"
  FOR EACH ROW EXECUTE FUNCTION firebreak_stamp_now();
