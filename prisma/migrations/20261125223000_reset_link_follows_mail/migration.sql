-- Hand-written: a reset link lives only as long as the mail that carries it may still arrive.
-- When a reset mail is cancelled (by staff, from the held queue) or FAILED (permanent SMTP
-- refusal, attempts exhausted, the recipient guard), its link stops working at once: nobody holds
-- it, and the outbox row that does must not be a way in. The customer is then refused without a
-- live link, which is exactly what makes the next refusal issue a new link and a new mail
-- (lib/resets/late-links.ts): nobody is left refused with no mail on its way (DESIGN invariant 3).
-- A link issued after the message was queued (a replacement) is not the message's and is kept.
-- Reset mail is keyed `reset:<campaign>:<customer>[:<replacement>]` (lib/resets/fanout.ts).
CREATE FUNCTION firebreak_expire_link_of_undelivered_mail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ResetToken"
     SET "expiresAt" = now()
   WHERE "campaignId" = NEW."campaignId"
     AND "customerId" = split_part(NEW."idempotencyKey", ':', 3)::uuid
     AND "usedAt" IS NULL
     AND "expiresAt" > now()
     AND "createdAt" <= NEW."queuedAt";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "MailMessage_expire_undelivered_reset_link"
  AFTER UPDATE OF status ON "MailMessage"
  FOR EACH ROW
  WHEN (NEW.status IN ('CANCELLED', 'FAILED') AND OLD.status IS DISTINCT FROM NEW.status
        AND NEW."campaignId" IS NOT NULL AND NEW."idempotencyKey" LIKE 'reset:%')
  EXECUTE FUNCTION firebreak_expire_link_of_undelivered_mail();
