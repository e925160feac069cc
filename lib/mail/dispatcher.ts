// The dispatcher: claims queued messages in batches (FOR UPDATE SKIP LOCKED, so any number of
// workers can run) and sends each over pooled SMTP (nodemailer), one recipient per envelope.
//
// Each message is sent inside its own short transaction that holds
//   - its stream's advisory lock in shared mode: a freeze (exclusive) waits for the send, and a
//     send that starts after a freeze sees it and holds the message instead (invariant 2);
//   - the message row (FOR UPDATE): the row stays locked from the SMTP transaction to the SENT
//     update, so no other worker can ever pick it up while its outcome is open.
// Exactly-once and the crash window: a message is SENT only after the SMTP server accepted it.
// If a worker dies between the accept and the SENT update, its row is left SENDING and unlocked.
// Recovery asks a delivery check whether that Message-ID (derived from the idempotency key, the
// same on every attempt) was accepted: yes → SENT, no → queued again, cannot tell → HELD for a
// person to release or cancel. The embedded sink answers the check; a plain SMTP relay cannot,
// so there an uncertain message is held rather than risk sending it twice.
import 'server-only';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import pg from 'pg';
import { MAIL_LOCK, streamLockKey } from './locks';
import { refuseAndFreeze } from './outbox';
import { checkSingleRecipient } from './recipient';
import type { Stream } from './schema';

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

const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS', 'EPROTOCOL', 'ETLS']);

export function createDispatcher(options: DispatcherOptions) {
  const concurrency = options.concurrency ?? 5;
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 2000;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 250;
  const log = options.log ?? (() => {});
  const token = randomUUID();
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: concurrency + 2 });
  pool.on('error', (error) => log(`database pool error: ${error.message}`));

  const transport: Transporter = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: concurrency,
    maxMessages: Infinity,
    socketTimeout: 30_000,
    ...(options.ratePerSecond ? { rateDelta: 1000, rateLimit: options.ratePerSecond } : {}),
  } satisfies SMTPPool.Options);
  // The recipient guard inside nodemailer itself: whatever built the message, the envelope has
  // exactly one RCPT equal to the To header, and there is no Cc or Bcc.
  transport.use('compile', (mail, done) => {
    const data = mail.data as { to?: unknown; cc?: unknown; bcc?: unknown; envelope?: { to?: unknown } };
    const envelopeTo = Array.isArray(data.envelope?.to) ? data.envelope.to : [];
    const check = checkSingleRecipient(data.to);
    if (data.cc || data.bcc) return done(new GuardError('a Cc or Bcc header was set'));
    if (!check.ok) return done(new GuardError(check.reason));
    if (envelopeTo.length !== 1 || envelopeTo[0] !== check.address) return done(new GuardError(`envelope recipients ${JSON.stringify(envelopeTo)} differ from To ${check.address}`));
    done();
  });

  let running = false;
  let loop: Promise<void> | null = null;
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

  async function deliver(row: Row): Promise<'sent' | 'held' | 'retry' | 'failed' | 'skipped' | 'refused'> {
    const client = await pool.connect();
    try {
      // Literal integers only: the lock is taken in the same round trip as BEGIN.
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}, ${streamLockKey(row.stream)})`);
      // A new statement, so its snapshot is taken after the lock: it sees a freeze that committed while we waited.
      const { rows } = await client.query<{ status: string; claimToken: string | null; frozen: boolean }>(
        `SELECT m.status, m."claimToken", EXISTS (SELECT 1 FROM "MailFreeze" f WHERE f."liftedAt" IS NULL AND m.stream = ANY (f.streams)) AS frozen
           FROM "MailMessage" m WHERE m.id = $1 FOR UPDATE OF m`,
        [row.id],
      );
      const state = rows[0];
      if (!state || state.status !== 'SENDING' || state.claimToken !== token) {
        await client.query('ROLLBACK');
        return 'skipped';
      }
      if (state.frozen) {
        await client.query(`UPDATE "MailMessage" SET status = 'HELD', "claimToken" = NULL WHERE id = $1`, [row.id]);
        await client.query('COMMIT');
        return 'held';
      }
      const recipient = checkSingleRecipient(row.to);
      if (!recipient.ok) return await refuse(client, row, recipient.reason);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: recipient.address,
          envelope: { from: options.from, to: [recipient.address] },
          subject: row.subject,
          text: row.text,
          ...(row.html ? { html: row.html } : {}),
          messageId: row.messageId,
          headers: { 'X-Firebreak-Stream': row.stream },
        });
        const accepted = info.accepted ?? [];
        const rejected = info.rejected ?? [];
        if (accepted.length !== 1 || rejected.length > 0) throw Object.assign(new Error(`SMTP accepted ${accepted.length}, rejected ${rejected.length}`), { responseCode: 550 });
        await client.query(
          `UPDATE "MailMessage" SET status = 'SENT', "sentAt" = now(), "smtpResponse" = $2, attempts = attempts + 1, "lastError" = NULL, "claimToken" = NULL WHERE id = $1`,
          [row.id, String(info.response ?? '').slice(0, 500)],
        );
        await client.query('COMMIT');
        return 'sent';
      } catch (error) {
        if (error instanceof GuardError) return await refuse(client, row, error.message);
        const attempts = row.attempts + 1;
        const err = error as { responseCode?: number; code?: string; message: string };
        const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || attempts >= maxAttempts;
        const reason = `${err.responseCode ?? err.code ?? 'error'}: ${err.message}`.slice(0, 1000);
        if (permanent) {
          await client.query(`UPDATE "MailMessage" SET status = 'FAILED', attempts = $2, "lastError" = $3, "claimToken" = NULL WHERE id = $1`, [row.id, attempts, `after ${attempts} attempt(s): ${reason}`]);
        } else {
          const delay = Math.min(retryBaseMs * 2 ** (attempts - 1), 15 * 60_000) * (0.8 + Math.random() * 0.4);
          await client.query(
            `UPDATE "MailMessage" SET status = 'QUEUED', attempts = $2, "lastError" = $3, "nextAttemptAt" = now() + make_interval(secs => $4), "claimToken" = NULL WHERE id = $1`,
            [row.id, attempts, reason, delay / 1000],
          );
        }
        await client.query('COMMIT');
        return permanent ? 'failed' : 'retry';
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      log(`delivery of ${row.id} aborted: ${(error as Error).message}`);
      return 'skipped';
    } finally {
      client.release();
    }
  }

  async function refuse(client: pg.PoolClient, row: Row, reason: string) {
    await client.query(`UPDATE "MailMessage" SET status = 'FAILED', "lastError" = $2, "claimToken" = NULL WHERE id = $1`, [row.id, `refused by the recipient guard: ${reason}`]);
    await client.query('COMMIT'); // releases the shared stream lock the freeze below needs
    log(`recipient guard refused message ${row.id}: ${reason}; freezing ${row.stream}`);
    await refuseAndFreeze(row.stream, `send refused: ${reason}`, { messageId: row.id, idempotencyKey: row.idempotencyKey });
    return 'refused' as const;
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

  /** Claims and delivers one batch; returns how many messages it claimed. */
  async function runOnce() {
    if (Date.now() - lastRecovery > Math.min(leaseMs, 5000)) {
      lastRecovery = Date.now();
      await recover();
    }
    const batch = await claim();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (next < batch.length) await deliver(batch[next++]);
      }),
    );
    return batch.length;
  }

  return {
    token,
    runOnce,
    recover,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            if ((await runOnce()) === 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
          } catch (error) {
            log(`dispatch loop error: ${(error as Error).message}`);
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      transport.close();
      await pool.end();
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

class GuardError extends Error {}
