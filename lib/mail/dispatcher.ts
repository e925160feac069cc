// The dispatcher: claims queued messages in batches (FOR UPDATE SKIP LOCKED, so any number of
// workers can run) and sends each over pooled SMTP (nodemailer), one recipient per envelope.
//
// Messages are sent in chunks of one stream (up to CHUNK_SIZE, and no new send after CHUNK_MAX_MS),
// each chunk inside one short transaction that holds
//   - its stream's advisory lock in shared mode: a freeze (exclusive) waits for the chunk, and a
//     chunk that starts after a freeze sees it and holds its messages instead (invariant 2);
//   - the chunk's rows (FOR UPDATE): they stay locked from the SMTP transactions to the SENT
//     update, so no other worker can ever pick them up while their outcome is open.
// Exactly-once and the crash window: a message is SENT only after the SMTP server accepted it.
// If a worker dies between the accept and the commit, its rows are left SENDING and unlocked.
// Recovery asks a delivery check whether that Message-ID (derived from the idempotency key, the
// same on every attempt) was accepted: yes → SENT, no → queued again, cannot tell → HELD for a
// person to release or cancel. The embedded sink answers the check; a plain SMTP relay cannot,
// so there an uncertain message is held rather than risk sending it twice.
import 'server-only';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MAIL_LOCK, streamLockKey } from './locks';
import { refuseAndFreeze } from './outbox';
import type { Stream } from './schema';
import { createSmtpTransport, RecipientGuardError } from './transport';

export type DeliveryCheck = (messageId: string) => Promise<'delivered' | 'not_delivered' | 'unknown'>;

export type DispatcherOptions = {
  databaseUrl: string;
  smtpUrl: string;
  from: string;
  concurrency?: number;
  batchSize?: number;
  /** Messages per second across this dispatcher's connections; 0 = unlimited. */
  ratePerSecond?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** A SENDING message unclaimed for this long, and not locked, belongs to a dead worker. */
  leaseMs?: number;
  idleMs?: number;
  deliveryCheck?: DeliveryCheck;
  log?: (line: string) => void;
};

type Row = { id: string; stream: Stream; to: string; subject: string; text: string; html: string | null; messageId: string; attempts: number; idempotencyKey: string };

/** Messages per transaction, and how long a transaction keeps starting new sends (a freeze waits for it). */
const CHUNK_SIZE = 50;
const CHUNK_MAX_MS = 250;

type SmtpError = { responseCode?: number; code?: string; message: string };

export function createDispatcher(options: DispatcherOptions) {
  const concurrency = options.concurrency ?? 5;
  // Under a rate limit, claim no more than ~10 s of sending, so claimed rows never outlive the lease.
  const batchSize = Math.min(options.batchSize ?? 500, options.ratePerSecond ? Math.max(options.ratePerSecond * 10, CHUNK_SIZE) : Infinity);
  const maxAttempts = options.maxAttempts ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 2000;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 250;
  const log = options.log ?? (() => {});
  const token = randomUUID();
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: concurrency + 2 });
  pool.on('error', (error) => log(`database pool error: ${error.message}`));

  const transport = createSmtpTransport({ smtpUrl: options.smtpUrl, concurrency, ratePerSecond: options.ratePerSecond });

  let running = false;
  let lastRecovery = 0;

  async function claim(): Promise<Row[]> {
    const { rows } = await pool.query<Row>(
      `WITH frozen AS (SELECT DISTINCT unnest(streams) AS stream FROM "MailFreeze" WHERE "liftedAt" IS NULL),
       picked AS (
         SELECT id FROM "MailMessage"
          WHERE status = 'QUEUED' AND "nextAttemptAt" <= now() AND stream NOT IN (SELECT stream FROM frozen)
          ORDER BY "nextAttemptAt", "queuedAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE "MailMessage" m SET status = 'SENDING', "claimedAt" = now(), "claimToken" = $2
         FROM picked WHERE m.id = picked.id
       RETURNING m.id, m.stream, m."to", m.subject, m.text, m.html, m."messageId", m.attempts, m."idempotencyKey"`,
      [batchSize, token],
    );
    return rows;
  }

  type Outcome = { id: string; status: 'SENT' | 'QUEUED' | 'FAILED'; response: string | null; error: string | null; delaySeconds: number | null };

  /**
   * Sends a chunk of one stream's messages inside one transaction that holds the stream's shared
   * lock and the chunk's rows. A freeze waits for the chunk, so the chunk stops starting new sends
   * after CHUNK_MAX_MS. Outcomes are written together at the end; if the worker dies first, the
   * transaction rolls back and recovery settles the rows through the delivery check.
   * Returns the messages it did not get to (still claimed by this dispatcher).
   */
  async function deliverChunk(chunk: Row[]): Promise<Row[]> {
    const stream = chunk[0].stream;
    const client = await pool.connect();
    let violation: { row: Row; reason: string } | null = null;
    let rest: Row[] = [];
    try {
      // Literal integers only: the lock is taken in the same round trip as BEGIN. The commit need
      // not wait for the WAL flush: if PostgreSQL itself crashed and lost it, the rows would be
      // back to SENDING (their claim was durable), and recovery settles them through the delivery
      // check — the same path as a lost worker, so nothing is sent twice or lost.
      await client.query(`BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}, ${streamLockKey(stream)})`);
      // A new statement, so its snapshot is taken after the lock: it sees a freeze that committed while we waited.
      const { rows: states } = await client.query<{ id: string; frozen: boolean }>(
        `SELECT m.id, EXISTS (SELECT 1 FROM "MailFreeze" f WHERE f."liftedAt" IS NULL AND m.stream = ANY (f.streams)) AS frozen
           FROM "MailMessage" m WHERE m.id = ANY ($1::uuid[]) AND m.status = 'SENDING' AND m."claimToken" = $2 FOR UPDATE OF m`,
        [chunk.map((r) => r.id), token],
      );
      const mine = new Set(states.map((s) => s.id));
      const rows = chunk.filter((r) => mine.has(r.id));
      if (states.some((s) => s.frozen)) {
        await client.query(`UPDATE "MailMessage" SET status = 'HELD', "claimToken" = NULL WHERE id = ANY ($1::uuid[])`, [rows.map((r) => r.id)]);
        await client.query('COMMIT');
        return [];
      }
      const outcomes: Outcome[] = [];
      const started = Date.now();
      let i = 0;
      for (; i < rows.length && (i === 0 || Date.now() - started < CHUNK_MAX_MS); i++) {
        const row = rows[i];
        try {
          // The outbox and a CHECK constraint allow one bare address per row; whatever the row
          // holds, the transport's guard refuses any message that is not to exactly one recipient.
          const info = await transport.sendMail({
            from: options.from,
            to: row.to,
            envelope: { from: options.from, to: [row.to] },
            subject: row.subject,
            text: row.text,
            ...(row.html ? { html: row.html } : {}),
            messageId: row.messageId,
            headers: { 'X-Firebreak-Stream': row.stream },
          });
          const accepted = info.accepted ?? [];
          const rejected = info.rejected ?? [];
          if (accepted.length !== 1 || rejected.length > 0) throw Object.assign(new Error(`SMTP accepted ${accepted.length}, rejected ${rejected.length}`), { responseCode: 550 });
          outcomes.push({ id: row.id, status: 'SENT', response: String(info.response ?? '').slice(0, 500), error: null, delaySeconds: null });
        } catch (error) {
          if (error instanceof RecipientGuardError) {
            violation = { row, reason: error.message };
            i++;
            break;
          }
          outcomes.push(failure(row, error as SmtpError));
        }
      }
      rest = rows.slice(i);
      if (violation) outcomes.push({ id: violation.row.id, status: 'FAILED', response: null, error: `refused by the recipient guard: ${violation.reason}`, delaySeconds: null });
      if (outcomes.length) {
        await client.query(
          `UPDATE "MailMessage" m SET status = r.status::"MailStatus",
                  "sentAt" = CASE WHEN r.status = 'SENT' THEN now() ELSE m."sentAt" END,
                  "smtpResponse" = COALESCE(r.response, m."smtpResponse"),
                  attempts = m.attempts + 1, "lastError" = r.error, "claimToken" = NULL,
                  "nextAttemptAt" = CASE WHEN r.delay IS NULL THEN m."nextAttemptAt" ELSE now() + make_interval(secs => r.delay) END
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS r(id, status, response, error, delay)
            WHERE m.id = r.id`,
          [outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => o.response), outcomes.map((o) => o.error), outcomes.map((o) => o.delaySeconds)],
        );
      }
      await client.query('COMMIT'); // releases the shared stream lock the freeze below needs
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      log(`delivery of a ${stream} chunk aborted: ${(error as Error).message}`);
      return [];
    } finally {
      client.release();
    }
    if (violation) {
      log(`recipient guard refused message ${violation.row.id}: ${violation.reason}; freezing ${stream}`);
      await refuseAndFreeze(stream, `send refused: ${violation.reason}`, { messageId: violation.row.id, idempotencyKey: violation.row.idempotencyKey });
    }
    return rest;
  }

  function failure(row: Row, err: SmtpError): Outcome {
    const attempts = row.attempts + 1;
    const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || attempts >= maxAttempts;
    const reason = `${err.responseCode ?? err.code ?? 'error'}: ${err.message}`.slice(0, 1000);
    if (permanent) return { id: row.id, status: 'FAILED', response: null, error: `after ${attempts} attempt(s): ${reason}`, delaySeconds: null };
    const delay = Math.min(retryBaseMs * 2 ** (attempts - 1), 15 * 60_000) * (0.8 + Math.random() * 0.4);
    return { id: row.id, status: 'QUEUED', response: null, error: reason, delaySeconds: delay / 1000 };
  }

  /** Settles SENDING rows left by a worker that died (unlocked, and claimed longer ago than the lease). */
  async function recover() {
    const client = await pool.connect();
    let settled = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; messageId: string }>(
        `SELECT id, "messageId" FROM "MailMessage" WHERE status = 'SENDING' AND "claimedAt" < now() - make_interval(secs => $1)
          ORDER BY "claimedAt" LIMIT 1000 FOR UPDATE SKIP LOCKED`,
        [leaseMs / 1000],
      );
      for (const row of rows) {
        const outcome = options.deliveryCheck ? await options.deliveryCheck(row.messageId) : 'unknown';
        if (outcome === 'delivered') {
          await client.query(`UPDATE "MailMessage" SET status = 'SENT', "sentAt" = now(), "smtpResponse" = 'accepted (confirmed by delivery check after the sending worker was lost)', "claimToken" = NULL WHERE id = $1`, [row.id]);
        } else if (outcome === 'not_delivered') {
          await client.query(`UPDATE "MailMessage" SET status = 'QUEUED', "nextAttemptAt" = now(), "claimToken" = NULL, "lastError" = 'requeued: the sending worker was lost before SMTP accepted it' WHERE id = $1`, [row.id]);
        } else {
          await client.query(`UPDATE "MailMessage" SET status = 'HELD', "claimToken" = NULL, "lastError" = 'outcome unknown: the sending worker was lost during the SMTP transaction; held so it is not sent twice' WHERE id = $1`, [row.id]);
        }
        settled++;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      log(`recovery failed: ${(error as Error).message}`);
    } finally {
      client.release();
    }
    if (settled) log(`recovered ${settled} message(s) left SENDING by a lost worker`);
    return settled;
  }

  // Chunks of claimed messages, one stream each. Every slot (one per SMTP connection) takes the
  // next chunk and puts back what it did not reach; the queue is refilled before it runs dry, so
  // the SMTP connections never wait for a claim.
  const chunks: Row[][] = [];
  let refilling: Promise<number> | null = null;

  function refill(): Promise<number> {
    refilling ??= (async () => {
      if (Date.now() - lastRecovery > Math.min(leaseMs, 5000)) {
        lastRecovery = Date.now();
        await recover();
      }
      const batch = await claim();
      for (const stream of new Set(batch.map((r) => r.stream))) {
        const ofStream = batch.filter((r) => r.stream === stream);
        for (let i = 0; i < ofStream.length; i += CHUNK_SIZE) chunks.push(ofStream.slice(i, i + CHUNK_SIZE));
      }
      return batch.length;
    })().finally(() => {
      refilling = null;
    });
    return refilling;
  }

  async function slot() {
    while (running) {
      try {
        if (chunks.length < concurrency) void refill().catch((error) => log(`claim failed: ${(error as Error).message}`));
        const chunk = chunks.shift();
        if (!chunk) {
          if ((await refill()) === 0 && chunks.length === 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
          continue;
        }
        const rest = await deliverChunk(chunk);
        if (rest.length) chunks.unshift(rest);
      } catch (error) {
        log(`dispatch error: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  let slots: Promise<void>[] = [];
  return {
    token,
    recover,
    start() {
      if (running) return;
      running = true;
      slots = Array.from({ length: concurrency }, () => slot());
    },
    async stop() {
      running = false;
      await Promise.all(slots);
      await refilling?.catch(() => 0);
      // Nothing of ours is in flight now: hand back what we claimed but did not reach.
      await pool
        .query(`UPDATE "MailMessage" SET status = 'QUEUED', "claimToken" = NULL WHERE "claimToken" = $1 AND status = 'SENDING'`, [token])
        .catch((error) => log(`could not hand back claimed messages: ${(error as Error).message}`));
      chunks.length = 0;
      transport.close();
      await pool.end();
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

