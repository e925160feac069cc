// Claiming queued mail: the oldest due messages of streams that are not frozen, FOR UPDATE SKIP
// LOCKED so any number of workers share the outbox, marked SENDING under the dispatcher's token.
import 'server-only';
import type pg from 'pg';
import type { Stream } from './schema';

export type Row = {
  id: string;
  stream: Stream;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  attempts: number;
  idempotencyKey: string;
  unsubscribeUrl: string | null;
};

export async function claimQueued(pool: pg.Pool, token: string, batchSize: number): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `WITH frozen AS (SELECT DISTINCT unnest(streams) AS stream FROM "MailFreeze" WHERE "liftedAt" IS NULL),
     picked AS (
       SELECT id FROM "MailMessage"
        WHERE status = 'QUEUED' AND "nextAttemptAt" <= now() AND stream NOT IN (SELECT stream FROM frozen)
        ORDER BY "nextAttemptAt", "queuedAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE "MailMessage" m SET status = 'SENDING', "claimedAt" = now(), "claimToken" = $2
       FROM picked WHERE m.id = picked.id
     RETURNING m.id, m.stream, m."to", m.subject, m.text, m.html, m."messageId", m.attempts, m."idempotencyKey", m."unsubscribeUrl"`,
    [batchSize, token],
  );
  return rows;
}
