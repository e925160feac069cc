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
//
// This file is the loop (claim ahead, hand chunks to one slot per SMTP connection, write what a
// lost connection kept, recover every few seconds); the parts are module functions, each tested
// through it and some alone: claim.ts, chunk.ts, outcomes.ts (the retry policy), recovery.ts.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { backoffMs, createPgPool } from '@/lib/db/pg';
import { CHUNK_SIZE, type ChunkContext, deliverChunk } from './chunk';
import { claimQueued, type Row } from './claim';
import { refuseAndFreeze } from './outbox';
import { type Outcome, writeOutcomes } from './outcomes';
import { type DeliveryCheck, recoverLostClaims } from './recovery';
import { createSlotMarks, NAMED_BY_SLOT } from './slots';
import { createSmtpTransport } from './transport';

export type { DeliveryCheck };

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

export function createDispatcher(options: DispatcherOptions) {
  const concurrency = options.concurrency ?? 5;
  // Under a rate limit, claim no more than ~10 s of sending, so claimed rows never outlive the lease.
  const batchSize = Math.min(
    options.batchSize ?? 500,
    options.ratePerSecond ? Math.max(options.ratePerSecond * 10, CHUNK_SIZE) : Infinity,
  );
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

  const context: ChunkContext = {
    pool,
    token,
    marks,
    transport,
    from: options.from,
    retry: { maxAttempts: options.maxAttempts ?? 8, retryBaseMs: options.retryBaseMs ?? 2000 },
    log,
  };
  const recover = () => recoverLostClaims(pool, { leaseMs, deliveryCheck: options.deliveryCheck, log });

  let running = false;
  let lastRecovery = 0;
  /** Messages this dispatcher has sent: SMTP accepted them and their SENT update committed. */
  let sentCount = 0;

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
      const sent = batch.length ? await writeOutcomes(client, token, batch) : 0;
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
      const batch = await claimQueued(pool, token, batchSize);
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
        const { rest, sent, unwritten: lost, refused } = await deliverChunk(context, chunk);
        sentCount += sent;
        if (refused) {
          log(`recipient guard refused message ${refused.row.id}: ${refused.reason}; freezing ${refused.row.stream}`);
          await refuseAndFreeze(refused.row.stream, `send refused: ${refused.reason}`, {
            messageId: refused.row.id,
            idempotencyKey: refused.row.idempotencyKey,
          });
        }
        if (lost) {
          unwritten.push(...lost.outcomes);
          staleSlots.push(lost.slotId);
        }
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
