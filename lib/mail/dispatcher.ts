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
// Each chunk keeps a MailSlot row, committed outside the chunk's transaction: before a message's
// SMTP transaction may end (its DATA terminator waits for the commit), the row names it in
// flight and records the acceptance of the one before. So if a worker dies, recovery (any
// worker, once the rows are unlocked and older than the lease) knows exactly: a claimed message
// never attempted goes back to QUEUED, an accepted one is SENT, and only a message that was
// inside an SMTP transaction (at most one per connection) is uncertain. For those it asks a
// delivery check whether that Message-ID (derived from the idempotency key, the same on every
// attempt) was accepted: yes → SENT, no → queued again, cannot tell → HELD (OUTCOME_UNKNOWN) for
// a person to release, cancel or reconcile against the relay's log. Each recovery is audited.
// A lost database connection never kills the worker (lib/db/pg.ts): a chunk stops starting sends
// the moment its connection is gone (its freeze lock went with it), and outcomes it could not
// write are kept in memory and written when the database is back.
import 'server-only';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { recordAuditPg } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { backoffMs, createPgPool } from '@/lib/db/pg';
import { MAIL_LOCK, streamLockKey } from './locks';
import { refuseAndFreeze } from './outbox';
import { STREAMS, type Stream } from './schema';
import { createSlotMarks, NAMED_BY_SLOT } from './slots';
import { createSmtpTransport, type OutboundMail, RecipientGuardError } from './transport';

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

type Row = {
  id: string;
  stream: Stream;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  attempts: number;
  idempotencyKey: string;
};

/** Messages per transaction, and how long a transaction keeps starting new sends (a freeze waits for it). */
const CHUNK_SIZE = 50;
const CHUNK_MAX_MS = 250;

type SmtpError = { responseCode?: number; code?: string; message: string };

export function createDispatcher(options: DispatcherOptions) {
  const concurrency = options.concurrency ?? 5;
  // Under a rate limit, claim no more than ~10 s of sending, so claimed rows never outlive the lease.
  const batchSize = Math.min(
    options.batchSize ?? 500,
    options.ratePerSecond ? Math.max(options.ratePerSecond * 10, CHUNK_SIZE) : Infinity,
  );
  const maxAttempts = options.maxAttempts ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 2000;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 250;
  const log = options.log ?? (() => {});
  const token = randomUUID();
  const pool = createPgPool('mail dispatcher', { connectionString: options.databaseUrl, max: concurrency + 2 }, log);
  // Slot marks: autocommits to an UNLOGGED table, on one connection (see slots.ts and README, "Outbound mail").
  // Bounded: a mark that cannot be written in time fails (nothing is sent) instead of holding its
  // chunk's locks, and so a freeze, indefinitely.
  const attempts = createPgPool(
    'mail slot marks',
    {
      connectionString: options.databaseUrl,
      max: 1,
      connectionTimeoutMillis: 10_000,
      options: '-c synchronous_commit=off -c statement_timeout=10000',
    },
    log,
  );
  const marks = createSlotMarks(attempts, token, log);
  /** Outcomes a lost connection kept us from writing: written first when the database is back. */
  const unwritten: Outcome[] = [];
  /** Slot rows of chunks that could not commit: removed with those outcomes. */
  const staleSlots: string[] = [];

  const transport = createSmtpTransport({
    smtpUrl: options.smtpUrl,
    concurrency,
    ratePerSecond: options.ratePerSecond,
  });

  let running = false;
  let lastRecovery = 0;
  /** Messages this dispatcher has sent: SMTP accepted them and their SENT update committed. */
  let sentCount = 0;

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

  type Outcome = {
    id: string;
    status: 'SENT' | 'QUEUED' | 'FAILED';
    response: string | null;
    error: string | null;
    delaySeconds: number | null;
  };

  /**
   * Sends a chunk of one stream's messages inside one transaction that holds the stream's shared
   * lock and the chunk's rows. A freeze waits for the chunk, so the chunk stops starting new sends
   * after CHUNK_MAX_MS. Outcomes are written together at the end; if the worker dies first, the
   * transaction rolls back and recovery settles the rows by the chunk's slot row.
   * Returns the messages it did not get to (still claimed by this dispatcher).
   */
  async function deliverChunk(chunk: Row[]): Promise<Row[]> {
    const stream = chunk[0].stream;
    const client = await pool.connect();
    // The connection holds the stream's freeze lock: once it is gone, no further send may start.
    let lost = false;
    const onLost = () => (lost = true);
    client.on('error', onLost);
    let violation: { row: Row; reason: string } | null = null;
    let rest: Row[] = [];
    const outcomes: Outcome[] = [];
    const slotId = randomUUID();
    try {
      // Literal integers only: the lock is taken in the same round trip as BEGIN. The commit waits
      // for the WAL flush: once it returns the worker forgets the outcomes, and the slot rows that
      // would tell recovery what was sent are UNLOGGED (a crash of PostgreSQL empties them).
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}, ${streamLockKey(stream)})`);
      // A new statement, so its snapshot is taken after the lock: it sees a freeze that committed while we waited.
      const { rows: states } = await client.query<{ id: string; frozen: boolean }>(
        `SELECT m.id, EXISTS (SELECT 1 FROM "MailFreeze" f WHERE f."liftedAt" IS NULL AND m.stream = ANY (f.streams)) AS frozen
           FROM "MailMessage" m WHERE m.id = ANY ($1::uuid[]) AND m.status = 'SENDING' AND m."claimToken" = $2 FOR UPDATE OF m`,
        [chunk.map((r) => r.id), token],
      );
      const mine = new Set(states.map((s) => s.id));
      const rows = chunk.filter((r) => mine.has(r.id));
      if (states.some((s) => s.frozen)) {
        await client.query(
          `UPDATE "MailMessage" SET status = 'HELD', "claimToken" = NULL WHERE id = ANY ($1::uuid[])`,
          [rows.map((r) => r.id)],
        );
        await client.query('COMMIT');
        return [];
      }
      const started = Date.now();
      // The chunk's slot row (MailSlot, outside this transaction; slots.ts): before each message's
      // SMTP transaction can end, a mark names it in flight and records whether the previous one
      // was accepted. The mark is sent as the message's SMTP transaction starts and only its
      // terminator waits for the commit (the transport's `endAfter`), so its round trip overlaps
      // MAIL FROM / RCPT TO / DATA. A lost worker thus leaves at most one uncertain message per
      // SMTP connection: the one in flight.
      if (rows.length) void marks.open(slotId); // written before the first mark, which fails if it was not
      let accepted: { id: string; response: string } | null = null; // the previous message, if SMTP took it
      let lastMark: Promise<boolean> = Promise.resolve(true);
      let i = 0;
      for (; i < rows.length && !lost && (i === 0 || Date.now() - started < CHUNK_MAX_MS); i++) {
        const row = rows[i];
        const marked = marks.mark(slotId, row.id, accepted);
        accepted = null;
        lastMark = marked;
        try {
          // The outbox and a CHECK constraint allow one bare address per row; whatever the row
          // holds, the transport's guard refuses any message that is not to exactly one recipient.
          const message: OutboundMail = {
            from: options.from,
            to: row.to,
            envelope: { from: options.from, to: [row.to] },
            subject: row.subject,
            text: row.text,
            ...(row.html ? { html: row.html } : {}),
            messageId: row.messageId,
            headers: { 'X-Firebreak-Stream': row.stream },
            endAfter: marked,
          };
          const info = await transport.sendMail(message);
          const acceptedBy = info.accepted ?? [];
          const rejected = info.rejected ?? [];
          if (acceptedBy.length !== 1 || rejected.length > 0)
            throw Object.assign(new Error(`SMTP accepted ${acceptedBy.length}, rejected ${rejected.length}`), {
              responseCode: 550,
            });
          const response = String(info.response ?? '').slice(0, 500);
          outcomes.push({ id: row.id, status: 'SENT', response, error: null, delaySeconds: null });
          accepted = { id: row.id, response };
        } catch (error) {
          if (error instanceof RecipientGuardError) {
            violation = { row, reason: error.message };
            i++;
            break;
          }
          // No committed mark, no terminator: the server discarded it; it stays claimed (rest).
          if (!(await marked)) break;
          outcomes.push(failure(row, error as SmtpError));
        }
      }
      await lastMark; // settled before the slot row is deleted below (a guard refusal breaks out before it is)
      rest = rows.slice(i);
      if (violation)
        outcomes.push({
          id: violation.row.id,
          status: 'FAILED',
          response: null,
          error: `refused by the recipient guard: ${violation.reason}`,
          delaySeconds: null,
        });
      const sent = outcomes.length ? await writeOutcomes(client, outcomes) : 0;
      await client.query(`DELETE FROM "MailSlot" WHERE id = $1`, [slotId]);
      await client.query('COMMIT'); // releases the shared stream lock the freeze below needs
      sentCount += sent;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      // What we know is kept: written when the database answers again (before any new claim).
      unwritten.push(...outcomes);
      staleSlots.push(slotId);
      log(
        `delivery of a ${stream} chunk aborted: ${(error as Error).message}${outcomes.length ? `; ${outcomes.length} outcome(s) kept to write later` : ''}`,
      );
      return [];
    } finally {
      client.off('error', onLost);
      client.release(lost);
    }
    if (violation) {
      log(`recipient guard refused message ${violation.row.id}: ${violation.reason}; freezing ${stream}`);
      await refuseAndFreeze(stream, `send refused: ${violation.reason}`, {
        messageId: violation.row.id,
        idempotencyKey: violation.row.idempotencyKey,
      });
    }
    return rest;
  }

  /** Outcomes of this dispatcher's claimed messages, in the caller's transaction (which also removes their chunk's slot row). */
  async function writeOutcomes(client: { query: pg.ClientBase['query'] }, outcomes: Outcome[]): Promise<number> {
    const ids = outcomes.map((o) => o.id);
    const { rows } = await client.query<{ sent: number }>(
      `WITH written AS (
       UPDATE "MailMessage" m SET status = r.status::"MailStatus",
              "sentAt" = CASE WHEN r.status = 'SENT' THEN now() ELSE m."sentAt" END,
              "smtpResponse" = COALESCE(r.response, m."smtpResponse"),
              attempts = m.attempts + 1, "lastError" = r.error, "claimToken" = NULL,
              "nextAttemptAt" = CASE WHEN r.delay IS NULL THEN m."nextAttemptAt" ELSE now() + make_interval(secs => r.delay) END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS r(id, status, response, error, delay)
        WHERE m.id = r.id AND m."claimToken" = $6
        RETURNING m.status)
       SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent FROM written`,
      [
        ids,
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.response),
        outcomes.map((o) => o.error),
        outcomes.map((o) => o.delaySeconds),
        token,
      ],
    );
    return rows[0].sent;
  }

  /** Writes outcomes a lost connection kept in memory (and removes their chunks' slot rows); false while the database is still away. */
  async function flushUnwritten(): Promise<boolean> {
    if (unwritten.length === 0 && staleSlots.length === 0) return true;
    const batch = unwritten.splice(0);
    const slots = staleSlots.splice(0);
    const putBack = () => {
      unwritten.unshift(...batch);
      staleSlots.unshift(...slots);
    };
    const client = await pool.connect().catch(() => null);
    if (!client) {
      putBack();
      return false;
    }
    try {
      await client.query('BEGIN');
      const sent = batch.length ? await writeOutcomes(client, batch) : 0;
      await client.query(`DELETE FROM "MailSlot" WHERE id = ANY ($1::uuid[])`, [slots]);
      await client.query('COMMIT');
      sentCount += sent;
      if (batch.length) log(`wrote ${batch.length} outcome(s) kept while the database was away`);
      return true;
    } catch {
      await client.query('ROLLBACK').catch(() => {});
      putBack();
      return false;
    } finally {
      client.release();
    }
  }

  function failure(row: Row, err: SmtpError): Outcome {
    const attempts = row.attempts + 1;
    const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || attempts >= maxAttempts;
    const reason = `${err.responseCode ?? err.code ?? 'error'}: ${err.message}`.slice(0, 1000);
    if (permanent)
      return {
        id: row.id,
        status: 'FAILED',
        response: null,
        error: `after ${attempts} attempt(s): ${reason}`,
        delaySeconds: null,
      };
    const delay = Math.min(retryBaseMs * 2 ** (attempts - 1), 15 * 60_000) * (0.8 + Math.random() * 0.4);
    return { id: row.id, status: 'QUEUED', response: null, error: reason, delaySeconds: delay / 1000 };
  }

  /**
   * Settles SENDING rows left by a worker that died (unlocked, and claimed longer ago than the
   * lease), by what its slot rows say: accepted → SENT; in flight → the delivery check decides,
   * else HELD (OUTCOME_UNKNOWN); neither → never handed to SMTP → QUEUED. Audited.
   */
  async function recover() {
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
        [leaseMs / 1000],
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
      log(`recovery failed: ${(error as Error).message}`);
    } finally {
      client.release();
    }
    const total = settled.requeued + settled.sent + settled.held.length;
    if (total)
      log(
        `recovered ${total} message(s) a lost worker had claimed: ${settled.requeued} queued again, ${settled.sent} sent, ${settled.held.length} held (outcome unknown)`,
      );
    return total;
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
    let failures = 0;
    while (running) {
      try {
        if (!(await flushUnwritten())) throw new Error('the database is not answering');
        if (chunks.length < concurrency)
          void refill().catch((error) => log(`claim failed: ${(error as Error).message}`));
        const chunk = chunks.shift();
        if (!chunk) {
          if ((await refill()) === 0 && chunks.length === 0)
            await new Promise((resolve) => setTimeout(resolve, idleMs));
          continue;
        }
        const rest = await deliverChunk(chunk);
        if (rest.length) chunks.unshift(rest);
        failures = 0;
      } catch (error) {
        // The database (or SMTP) is away: back off, and carry on by ourselves when it is back.
        if (failures === 0) log(`dispatch paused: ${(error as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, backoffMs(failures++)));
      }
    }
  }

  let slots: Promise<void>[] = [];
  return {
    token,
    recover,
    sent: () => sentCount,
    start() {
      if (running) return;
      running = true;
      slots = Array.from({ length: concurrency }, () => slot());
    },
    async stop() {
      running = false;
      await Promise.all(slots);
      await refilling?.catch(() => 0);
      // Nothing of ours is in flight now: write what we know, then hand back what we claimed but
      // did not reach (a message named by a slot row whose outcome could not be written is left
      // to recovery, which reads the slot).
      await flushUnwritten();
      await pool
        .query(
          `UPDATE "MailMessage" m SET status = 'QUEUED', "claimToken" = NULL
            WHERE m."claimToken" = $1 AND m.status = 'SENDING' AND NOT ${NAMED_BY_SLOT}`,
          [token],
        )
        .catch((error) => log(`could not hand back claimed messages: ${(error as Error).message}`));
      chunks.length = 0;
      transport.close();
      await pool.end();
      marks.close();
      await attempts.end();
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
