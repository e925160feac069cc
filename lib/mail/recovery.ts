// Recovery of a lost worker's claimed mail. Any dispatcher runs it every few seconds: it settles
// SENDING rows that no live transaction holds and that were claimed longer ago than the lease, by
// what their chunk's slot row (slots.ts) says: accepted → SENT; in flight → the delivery check
// decides, else HELD (OUTCOME_UNKNOWN) for a person; neither → never handed to SMTP → QUEUED (or
// HELD if its stream is frozen now). Audited as `mail.recovered`.
import 'server-only';
import type pg from 'pg';
import { recordAuditPg } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { MAIL_LOCK, streamLockKey } from './locks';
import { STREAMS } from './schema';

export type DeliveryCheck = (messageId: string) => Promise<'delivered' | 'not_delivered' | 'unknown'>;

export type RecoveryOptions = {
  /** A SENDING message unclaimed for this long, and not locked, belongs to a dead worker. */
  leaseMs: number;
  deliveryCheck?: DeliveryCheck;
  log: (line: string) => void;
};

/** Settles up to 1,000 of a lost worker's claimed messages; returns how many. */
export async function recoverLostClaims(pool: pg.Pool, options: RecoveryOptions): Promise<number> {
  const client = await pool.connect();
  const settled = { requeued: 0, sent: 0, checked: 0, held: [] as string[] };
  try {
    await client.query('BEGIN');
    // Every stream's lock in shared mode, in the freeze's order and before any row lock (a freeze
    // takes them exclusively, then rows): nothing recovered goes back to QUEUED in a stream a
    // freeze committed meanwhile — in a frozen stream it is HELD, for a person to release.
    for (const stream of STREAMS)
      await client.query(`SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}, ${streamLockKey(stream)})`);
    const { rows: frozenRows } = await client.query<{ stream: string }>(
      `SELECT DISTINCT unnest(streams)::text AS stream FROM "MailFreeze" WHERE "liftedAt" IS NULL`,
    );
    const frozen = new Set(frozenRows.map((r) => r.stream));
    const { rows: claimed } = await client.query<{
      id: string;
      messageId: string;
      claimToken: string;
      stream: string;
    }>(
      `SELECT m.id, m."messageId", m."claimToken", m.stream::text AS stream FROM "MailMessage" m
        WHERE m.status = 'SENDING' AND m."claimedAt" < now() - make_interval(secs => $1)
        ORDER BY m."claimedAt" LIMIT 1000 FOR UPDATE OF m SKIP LOCKED`,
      [options.leaseMs / 1000],
    );
    const tokens = [...new Set(claimed.map((r) => r.claimToken))];
    const { rows: slots } = await client.query<{
      claimToken: string;
      inFlight: string | null;
      startedAt: Date;
      accepted: string[] | null;
      responses: string[] | null;
    }>(
      `SELECT "claimToken", "inFlight", "startedAt", accepted, responses FROM "MailSlot" WHERE "claimToken" = ANY ($1::text[])`,
      [tokens],
    );
    const acceptedBy = new Map<string, string>();
    const inFlight = new Set<string>();
    for (const slot of slots) {
      for (const [k, id] of (slot.accepted ?? []).entries())
        acceptedBy.set(`${slot.claimToken}/${id}`, slot.responses?.[k] ?? '');
      if (slot.inFlight) inFlight.add(`${slot.claimToken}/${slot.inFlight}`);
    }
    const rows = claimed.map((r) => ({
      ...r,
      acceptedResponse: acceptedBy.get(`${r.claimToken}/${r.id}`),
      started: inFlight.has(`${r.claimToken}/${r.id}`),
    }));
    for (const row of rows) {
      if (row.acceptedResponse === undefined && !row.started) {
        await client.query(
          `UPDATE "MailMessage" SET status = $2::"MailStatus", "claimToken" = NULL, "lastError" = 'requeued: claimed by a worker that was lost before it sent it' WHERE id = $1`,
          [row.id, frozen.has(row.stream) ? 'HELD' : 'QUEUED'],
        );
        settled.requeued++;
        continue;
      }
      const recorded = row.acceptedResponse !== undefined;
      const outcome = recorded
        ? 'delivered'
        : options.deliveryCheck
          ? await options.deliveryCheck(row.messageId).finally(() => settled.checked++)
          : 'unknown';
      if (outcome === 'delivered') {
        const how = recorded
          ? 'accepted (recorded by the sending worker before it was lost)'
          : 'accepted (confirmed by delivery check after the sending worker was lost)';
        await client.query(
          `UPDATE "MailMessage" SET status = 'SENT', "sentAt" = now(), "smtpResponse" = $2, attempts = attempts + 1, "claimToken" = NULL WHERE id = $1`,
          [row.id, row.acceptedResponse || how],
        );
        settled.sent++;
      } else if (outcome === 'not_delivered') {
        await client.query(
          `UPDATE "MailMessage" SET status = $2::"MailStatus", "nextAttemptAt" = now(), "claimToken" = NULL, attempts = attempts + 1, "lastError" = 'requeued: the sending worker was lost before SMTP accepted it' WHERE id = $1`,
          [row.id, frozen.has(row.stream) ? 'HELD' : 'QUEUED'],
        );
        settled.requeued++;
      } else {
        await client.query(
          `UPDATE "MailMessage" SET status = 'HELD', "holdReason" = 'OUTCOME_UNKNOWN', "claimToken" = NULL, attempts = attempts + 1,
                  "lastError" = 'outcome unknown: the sending worker was lost during the SMTP transaction; held so it is not sent twice' WHERE id = $1`,
          [row.id],
        );
        settled.held.push(row.id);
      }
    }
    if (rows.length) {
      // A lost worker's slot rows go once none of its claimed messages is left to settle.
      await client.query(
        `DELETE FROM "MailSlot" s WHERE s."claimToken" = ANY ($1::text[])
            AND NOT EXISTS (SELECT 1 FROM "MailMessage" m WHERE m.status = 'SENDING' AND m."claimToken" = s."claimToken")`,
        [tokens],
      );
      await recordAuditPg(client, systemActor('mail-recovery'), {
        action: 'mail.recovered',
        targetType: 'MailMessage',
        data: {
          requeued: settled.requeued,
          sent: settled.sent,
          deliveryChecks: settled.checked,
          held: settled.held.length,
          heldMessages: settled.held.slice(0, 1000),
        },
      });
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    options.log(`recovery failed: ${(error as Error).message}`);
  } finally {
    client.release();
  }
  const total = settled.requeued + settled.sent + settled.held.length;
  if (total)
    options.log(
      `recovered ${total} message(s) a lost worker had claimed: ${settled.requeued} queued again, ${settled.sent} sent, ${settled.held.length} held (outcome unknown)`,
    );
  return total;
}
