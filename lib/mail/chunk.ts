// One chunk of the dispatcher: up to CHUNK_SIZE claimed messages of one stream, sent inside one
// transaction that holds the stream's shared freeze lock and the chunk's rows (see dispatcher.ts
// for the whole design). Each message's SMTP transaction ends only after its slot mark committed
// (slots.ts), and the outcomes are written together before the commit.
import 'server-only';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Row } from './claim';
import { MAIL_LOCK, streamLockKey } from './locks';
import { failure, type Outcome, type RetryPolicy, type SmtpError, writeOutcomes } from './outcomes';
import type { createSlotMarks } from './slots';
import { type createSmtpTransport, type OutboundMail, RecipientGuardError } from './transport';

/** Messages per transaction, and how long a transaction keeps starting new sends (a freeze waits for it). */
export const CHUNK_SIZE = 50;
const CHUNK_MAX_MS = 250;

export type ChunkContext = {
  pool: pg.Pool;
  /** The dispatcher's claim token. */
  token: string;
  marks: ReturnType<typeof createSlotMarks>;
  transport: ReturnType<typeof createSmtpTransport>;
  from: string;
  retry: RetryPolicy;
  log: (line: string) => void;
};

export type ChunkResult = {
  /** Messages it did not get to, still claimed: the dispatcher queues them again. */
  rest: Row[];
  /** Messages SENT and committed. */
  sent: number;
  /** When the transaction could not commit: what is known, to write when the database is back. */
  unwritten?: { outcomes: Outcome[]; slotId: string };
  /** A message the transport's recipient guard refused (FAILED in this chunk): its stream must be frozen. */
  refused?: { row: Row; reason: string };
};

/**
 * Sends a chunk of one stream's messages inside one transaction that holds the stream's shared
 * lock and the chunk's rows. A freeze waits for the chunk, so the chunk stops starting new sends
 * after CHUNK_MAX_MS. Outcomes are written together at the end; if the worker dies first, the
 * transaction rolls back and recovery settles the rows by the chunk's slot row.
 * Returns the messages it did not get to (still claimed by this dispatcher) and how many it sent.
 */
export async function deliverChunk(ctx: ChunkContext, chunk: Row[]): Promise<ChunkResult> {
  const { pool, token, marks, transport, log } = ctx;
  const stream = chunk[0].stream;
  const client = await pool.connect();
  // The connection holds the stream's freeze lock: once it is gone, no further send may start.
  let lost = false;
  const onLost = () => (lost = true);
  client.on('error', onLost);
  let violation: { row: Row; reason: string } | null = null;
  let rest: Row[] = [];
  let sent = 0;
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
      await client.query(`UPDATE "MailMessage" SET status = 'HELD', "claimToken" = NULL WHERE id = ANY ($1::uuid[])`, [
        rows.map((r) => r.id),
      ]);
      await client.query('COMMIT');
      return { rest: [], sent: 0 };
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
          from: ctx.from,
          to: row.to,
          envelope: { from: ctx.from, to: [row.to] },
          subject: row.subject,
          text: row.unsubscribeUrl ? `${row.text}\n\nUnsubscribe: ${row.unsubscribeUrl}` : row.text,
          ...(row.html ? { html: row.html } : {}),
          messageId: row.messageId,
          headers: {
            'X-Firebreak-Stream': row.stream,
            // One-click unsubscribe (RFC 8058): the mail client POSTs List-Unsubscribe=One-Click to the link.
            ...(row.unsubscribeUrl
              ? { 'List-Unsubscribe': `<${row.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
              : {}),
          },
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
        outcomes.push(failure(row, error as SmtpError, ctx.retry));
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
    sent = outcomes.length ? await writeOutcomes(client, token, outcomes) : 0;
    await client.query(`DELETE FROM "MailSlot" WHERE id = $1`, [slotId]);
    await client.query('COMMIT'); // releases the shared stream lock the freeze below needs
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    // What we know is kept: written when the database answers again (before any new claim).
    log(
      `delivery of a ${stream} chunk aborted: ${(error as Error).message}${outcomes.length ? `; ${outcomes.length} outcome(s) kept to write later` : ''}`,
    );
    return { rest: [], sent: 0, unwritten: { outcomes, slotId } };
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
  return { rest, sent, ...(violation ? { refused: violation } : {}) };
}
