// Message counts that cost the same at 10M messages as at 10: sums over MailTally, the rows the
// MailMessage triggers append in each writing transaction (prisma/migrations/…_mail_tally). The
// Mail page, the Overview, the war room and a reset's progress read these instead of counting the
// outbox; workers fold the rows into one per group every few seconds (`compactTally`).
import 'server-only';
import type pg from 'pg';
import { db } from '@/lib/db';
import { createPgPool } from '@/lib/db/pg';
import type { MailHoldReason, MailStatus, MailStream } from '@/lib/generated/prisma/enums';

export type TallyRow = {
  stream: MailStream;
  campaignId: string | null;
  status: MailStatus;
  holdReason: MailHoldReason | null;
  n: number;
};

/** Counts by stream, campaign, status and hold reason (groups at zero left out): all mail, or one campaign's. */
export async function readTally(filter: { campaignId?: string } = {}): Promise<TallyRow[]> {
  const rows = await db.$queryRawUnsafe<TallyRow[]>(
    `SELECT stream::text AS stream, "campaignId", status::text AS status, "holdReason"::text AS "holdReason", sum(n)::int AS n
       FROM "MailTally" ${filter.campaignId ? `WHERE "campaignId" = $1::uuid` : ''}
      GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0`,
    ...(filter.campaignId ? [filter.campaignId] : []),
  );
  return rows;
}

/** The sum of the rows that match. */
export const tallied = (rows: TallyRow[], match: (row: TallyRow) => boolean = () => true) =>
  rows.reduce((sum, row) => (match(row) ? sum + row.n : sum), 0);

/**
 * Folds every `intervalMs` on a pool of one connection, from a worker. A failure (the database
 * away) is logged and the next turn tries again: until then readers only sum a few more rows.
 */
export function startTallyFolding(options: { databaseUrl: string; intervalMs?: number; log: (line: string) => void }) {
  const pool = createPgPool('tally', { connectionString: options.databaseUrl, max: 1 }, options.log);
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = pool
      .connect()
      .then(async (client) => {
        try {
          await compactTally(client);
        } finally {
          client.release();
        }
      })
      .catch((error) => options.log(`folding the mail tally failed: ${(error as Error).message}`));
  }, options.intervalMs ?? 5000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await pool.end();
    },
  };
}

/** Advisory lock key of the fold: one worker folds at a time (another would only wait). */
const FOLD_LOCK = 0x7a11;

/**
 * Folds the tally into one row per group. Rows appended while it runs are not in its snapshot and
 * stay for the next fold; the delete and the insert of the sums commit together, so a reader sees
 * either the rows or their sum, never both or neither. Returns how many rows it folded.
 */
export async function compactTally(client: pg.ClientBase): Promise<number> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [FOLD_LOCK]);
    if (!rows[0].locked) {
      await client.query('ROLLBACK');
      return 0;
    }
    const { rows: folded } = await client.query(
      `WITH d AS (DELETE FROM "MailTally" RETURNING stream, "campaignId", status, "holdReason", n),
            s AS (INSERT INTO "MailTally" (stream, "campaignId", status, "holdReason", n)
                  SELECT stream, "campaignId", status, "holdReason", sum(n) FROM d
                   GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0)
       SELECT count(*)::int AS n FROM d`,
    );
    await client.query('COMMIT');
    return folded[0].n;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
