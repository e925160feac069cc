// Slot marks: the write-ahead record of what a dispatcher's SMTP connections are doing, so that a
// lost worker leaves at most one uncertain message per connection (see dispatcher.ts).
//
// Every chunk a dispatcher delivers has a MailSlot row (UNLOGGED), opened when the chunk starts.
// Before a message's SMTP transaction may end, a mark names it `inFlight` on its chunk's row and
// appends the previous message of that chunk to `accepted` if the server took it.
//
// Cost is what shaped this: on a loaded machine every statement costs the worker and PostgreSQL
// CPU that sending needs. So all marks and opens issued during one turn of the event loop (from
// all of the dispatcher's connections) are written in the next statement on one held connection
// — group commit — and a mark is a HOT update of a row that already exists. A connection never
// has more than one mark pending, so no row is named twice in a statement.
import 'server-only';
import type pg from 'pg';

/**
 * SQL over a "MailMessage" aliased `m`: a slot row of the message's claim names it — accepted, or
 * in flight. Whether such a message was sent is for recovery to settle, from that row; nothing
 * else may requeue or hold it.
 */
export const NAMED_BY_SLOT = `EXISTS (SELECT 1 FROM "MailSlot" s WHERE s."claimToken" = m."claimToken" AND (s."inFlight" = m.id OR m.id = ANY (s.accepted)))`;

type Op =
  | { kind: 'open'; slot: string; settle: (ok: boolean) => void }
  | {
      kind: 'mark';
      slot: string;
      inFlight: string;
      accepted: { id: string; response: string } | null;
      settle: (ok: boolean) => void;
    };

export function createSlotMarks(pool: pg.Pool, claimToken: string, log: (line: string) => void) {
  let pending: Op[] = [];
  let scheduled = false;
  let writing = false;
  let held: pg.PoolClient | null = null;
  let closing = false;

  async function write(batch: Op[]): Promise<boolean> {
    held ??= await pool.connect().catch((error: Error) => {
      log(`could not connect to record attempts (${error.message}); not sending now`);
      return null;
    });
    const client = held;
    if (!client) return false;
    const opens = batch.filter((op) => op.kind === 'open').map((op) => op.slot);
    const marks = batch.flatMap((op) =>
      op.kind === 'mark'
        ? [
            {
              slot: op.slot,
              inFlight: op.inFlight,
              accepted: op.accepted?.id ?? null,
              response: op.accepted?.response ?? null,
            },
          ]
        : [],
    );
    try {
      if (opens.length) {
        await client.query({
          name: 'mail-slot-open',
          text: `INSERT INTO "MailSlot" (id, "claimToken") SELECT unnest($1::uuid[]), $2`,
          values: [opens, claimToken],
        });
      }
      if (marks.length) {
        // One JSON parameter: binding arrays cost the worker more than the statement.
        const { rowCount } = await client.query({
          name: 'mail-slot-mark',
          text: `UPDATE "MailSlot" s SET "inFlight" = m."inFlight", "startedAt" = now(),
                        accepted = s.accepted || array_remove(ARRAY[m.accepted], NULL), responses = s.responses || array_remove(ARRAY[m.response], NULL)
                   FROM json_to_recordset($1::json) AS m(slot uuid, "inFlight" uuid, accepted uuid, response text)
                  WHERE s.id = m.slot`,
          values: [JSON.stringify(marks)],
        });
        // A mark whose row is missing (its open was not written) recorded nothing: nobody sends.
        if (rowCount !== marks.length) {
          log(`${marks.length - (rowCount ?? 0)} attempt mark(s) found no slot row; not sending them now`);
          return false;
        }
      }
      return true;
    } catch (error) {
      log(`could not record ${batch.length} attempt(s) (${(error as Error).message}); not sending them now`);
      client.release(error as Error);
      if (held === client) held = null;
      return false;
    }
  }

  async function drain() {
    scheduled = false;
    if (writing) return;
    writing = true;
    while (pending.length) {
      const batch = pending;
      pending = [];
      const ok = await write(batch);
      for (const op of batch) op.settle(ok);
    }
    writing = false;
    if (closing) release();
  }

  function release() {
    held?.release();
    held = null;
  }

  function enqueue(op: Op) {
    pending.push(op);
    if (!scheduled && !writing) {
      scheduled = true;
      setImmediate(drain);
    }
  }

  return {
    /** Opens a chunk's slot row; a mark for the slot issued after this is written after it. Never rejects. */
    open(slot: string): Promise<boolean> {
      return new Promise((settle) => enqueue({ kind: 'open', slot, settle }));
    },
    /**
     * Records that `inFlight` is about to be handed to SMTP on `slot` (and that the slot's previous
     * message was `accepted`, if it was). Resolves true once committed, false if it could not be —
     * then the message must not be sent. Never rejects.
     */
    mark(slot: string, inFlight: string, accepted: { id: string; response: string } | null): Promise<boolean> {
      return new Promise((settle) => enqueue({ kind: 'mark', slot, inFlight, accepted, settle }));
    },
    /** Hands the connection back (call when nothing is pending, before ending the pool). */
    close() {
      closing = true;
      if (!writing) release();
    },
  };
}
