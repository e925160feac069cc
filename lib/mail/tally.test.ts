// The mail tally is exact: after every kind of write the outbox sees (enqueue, a freeze, release,
// cancel, the dispatcher's claims and outcomes, a lost worker's recovery, raw UPDATE and DELETE,
// a rollback), and with writers and folds running at once, its sums equal a count over the
// messages themselves.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { freezeMail, unfreezeMail } from '@/lib/mail/freeze';
import { cancelHeld, listHeld, releaseHeld } from '@/lib/mail/outbox';
import { mailOverview } from '@/lib/mail/status';
import { compactTally, readTally, retallyMail, tallied } from '@/lib/mail/tally';
import { queue, startDispatcher, startSink, until } from '../../test/mail';
import { sql } from '../../test/sql';

const actor = systemActor('test');
const key = (r: { stream: string; campaignId: string | null; status: string; holdReason: string | null }) =>
  `${r.stream}/${r.campaignId ?? '-'}/${r.status}/${r.holdReason ?? '-'}`;

/** The truth: a count over MailMessage, by the tally's groups. */
async function counted() {
  const rows = await sql<{
    stream: string;
    campaignId: string | null;
    status: string;
    holdReason: string | null;
    n: number;
  }>(
    `SELECT stream::text, "campaignId", status::text, "holdReason"::text, count(*)::int AS n FROM "MailMessage" GROUP BY 1, 2, 3, 4`,
  );
  return Object.fromEntries(rows.map((r) => [key(r), r.n]));
}
const tallies = async () => Object.fromEntries((await readTally()).map((r) => [key(r), r.n]));

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 6 });
});
afterAll(() => pool.end());

async function fold() {
  const client = await pool.connect();
  try {
    return await compactTally(client);
  } finally {
    client.release();
  }
}

describe('the mail tally', () => {
  it('matches a count over the outbox after every kind of write, and after folding', async () => {
    const campaignId = randomUUID();
    await queue('SECURITY', 300, { campaignId });
    await queue('BULK', 120);
    expect(await tallies()).toEqual(await counted());

    await freezeMail(actor, { streams: ['BULK'], reason: 'tally test' });
    await queue('BULK', 30); // enqueued into a frozen stream: HELD on insert
    expect(await tallies()).toEqual(await counted());
    expect((await listHeld(actor, {})).total).toBe(150);

    // The dispatcher's claims and outcomes, through a real SMTP sink.
    const sink = await startSink();
    const dispatcher = startDispatcher(sink.port);
    await until(async () => (await counted())[`SECURITY/${campaignId}/SENT/-`] === 300, 30_000);
    await dispatcher.stop();
    await sink.stop();
    expect(await tallies()).toEqual(await counted());

    expect((await releaseHeld(actor, { stream: 'BULK', dryRun: false })).stillFrozen).toBe(150);
    await cancelHeld(actor, { stream: 'BULK', all: true });
    await unfreezeMail(actor, { streams: ['BULK'], reason: 'tally test' });
    expect(await tallies()).toEqual(await counted());

    // A lost worker's uncertain message, a stream moved by hand, deletions, a rolled-back change.
    await sql(
      `UPDATE "MailMessage" SET status = 'HELD', "holdReason" = 'OUTCOME_UNKNOWN' WHERE id IN (SELECT id FROM "MailMessage" WHERE "campaignId" = $1 LIMIT 7)`,
      [campaignId],
    );
    await sql(
      `UPDATE "MailMessage" SET stream = 'TRANSACTIONAL' WHERE id IN (SELECT id FROM "MailMessage" WHERE stream = 'BULK' LIMIT 5)`,
    );
    await sql(`UPDATE "MailMessage" SET attempts = attempts + 1`); // no count changes: no tally row
    await sql(`DELETE FROM "MailMessage" WHERE id IN (SELECT id FROM "MailMessage" WHERE stream = 'BULK' LIMIT 11)`);
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(`UPDATE "MailMessage" SET status = 'FAILED'`);
    await client.query('ROLLBACK');
    client.release();
    expect(await tallies()).toEqual(await counted());
    const campaign = await readTally({ campaignId });
    expect(tallied(campaign, (r) => r.status === 'HELD' && r.holdReason === 'OUTCOME_UNKNOWN')).toBe(7);
    expect((await listHeld(actor, { holdReason: 'OUTCOME_UNKNOWN' })).total).toBe(7);

    const before = await tallies();
    const rows = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "MailTally"`))[0].n;
    expect(await fold()).toBe(rows);
    expect(await tallies()).toEqual(before);
    const groups = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "MailTally" GROUP BY stream, "campaignId", status, "holdReason" HAVING count(*) > 1`,
    );
    expect(groups).toEqual([]); // one row per group
    const overview = await mailOverview(actor);
    const security = overview.streams.find((s) => s.stream === 'SECURITY')!;
    expect(security.counts.SENT + security.counts.HELD).toBe(300);
  }, 60_000);

  it('stays exact with concurrent writers and folds running beside them', async () => {
    const campaigns = Array.from({ length: 4 }, () => randomUUID());
    let folding = true;
    // Two folders beside the writers, as two workers run: one folds at a time (an advisory
    // lock), the other returns 0 at once.
    const folders = [0, 1].map(async () => {
      let folded = 0;
      while (folding) folded += await fold();
      return folded;
    });
    await Promise.all(
      campaigns.map(async (campaignId, i) => {
        const prefix = `race-${i}-${Date.now()}`;
        for (let round = 0; round < 5; round++) {
          await queue('TRANSACTIONAL', 40, { campaignId, prefix: `${prefix}-${round}` });
          await sql(
            `UPDATE "MailMessage" SET status = 'SENT' WHERE id IN (SELECT id FROM "MailMessage" WHERE "campaignId" = $1 AND status = 'QUEUED' LIMIT 25)`,
            [campaignId],
          );
          await sql(
            `DELETE FROM "MailMessage" WHERE id IN (SELECT id FROM "MailMessage" WHERE "campaignId" = $1 LIMIT 3)`,
            [campaignId],
          );
        }
      }),
    );
    folding = false;
    const folded = await Promise.all(folders);
    expect(folded[0] + folded[1]).toBeGreaterThan(0); // rows were folded while the writers wrote
    expect(await tallies()).toEqual(await counted());
    await fold();
    expect(await tallies()).toEqual(await counted());
    for (const campaignId of campaigns) expect(tallied(await readTally({ campaignId }))).toBe(200 - 15);
  }, 60_000);

  it('a tally that disagrees with the outbox is put right by a retally, audited', async () => {
    await queue('SECURITY', 5);
    // What a restore that skipped the triggers leaves: counts that are not the outbox's.
    await sql(`INSERT INTO "MailTally" (stream, status, n) VALUES ('SECURITY', 'QUEUED', -3), ('BULK', 'SENT', 40)`);
    expect(await tallies()).not.toEqual(await counted());
    const { messages } = await retallyMail(actor);
    expect(await tallies()).toEqual(await counted());
    expect(messages).toBe((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "MailMessage"`))[0].n);
    const [event] = await sql<{ data: { messages: number } }>(
      `SELECT data FROM "AuditEvent" WHERE action = 'mail.retallied' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event.data.messages).toBe(messages);
  });

  it('TRUNCATE of the outbox empties the tally', async () => {
    await queue('BULK', 3);
    await sql('TRUNCATE "MailMessage"');
    expect(await readTally()).toEqual([]);
  });
});
