// Message counts that cost the same at 10M messages as at 10: sums over MailTally, the rows the
// MailMessage triggers append in each writing transaction (prisma/migrations/…_mail_tally). The
// Mail page, the Overview, the war room and a reset's progress read these instead of counting the
// outbox; workers fold the rows into one per group every few seconds (`compactTally`).
import 'server-only';
import type pg from 'pg';
import { recordAudit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
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

/**
 * Counts by stream, campaign, status and hold reason (groups at zero left out): all mail, or one
 * campaign's. A sum below zero cannot come from the triggers; should one appear (a restore that
 * skipped them), it is left out rather than answered, and `firebreak mail retally` repairs it.
 */
export async function readTally(filter: { campaignId?: string } = {}): Promise<TallyRow[]> {
  const rows = await db.$queryRawUnsafe<TallyRow[]>(
    `SELECT stream::text AS stream, "campaignId", status::text AS status, "holdReason"::text AS "holdReason", sum(n)::int AS n
       FROM "MailTally" ${filter.campaignId ? `WHERE "campaignId" = $1::uuid` : ''}
      GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0`,
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

/** Folds the tally into one row per group (firebreak_fold_mail_tally, in the migration); 0 if another fold runs. */
export async function compactTally(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ n: number }>('SELECT firebreak_fold_mail_tally() AS n');
  return rows[0].n;
}

/**
 * Counts the outbox again into a fresh tally (firebreak_retally_mail), audited: the repair for a
 * tally that disagrees with the outbox. Returns the messages counted and how far the tally was off.
 */
export async function retallyMail(actor: Actor) {
  assertCan(actor, 'mail.release');
  return db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ n: number }[]>`SELECT coalesce(sum(n), 0)::int AS n FROM "MailTally"`;
    const [after] = await tx.$queryRaw<{ n: number }[]>`SELECT firebreak_retally_mail() AS n`;
    await recordAudit(tx, actor, {
      action: 'mail.retallied',
      targetType: 'MailMessage',
      data: { messages: after.n, tallyBefore: before.n },
    });
    return { messages: after.n, tallyBefore: before.n };
  }, RETALLY_TX);
}

/** A count of 10M messages takes seconds: more than Prisma's default 5 s for a transaction. */
const RETALLY_TX = { timeout: 600_000, maxWait: 10_000 };
