// Two workers fanning out one campaign at once (any number of workers may run): each partition
// is fanned out by one worker at a time (its advisory lock), and every customer exactly once.
import { expect, it } from 'vitest';
import { createResetRunner } from '@/lib/resets/fanout';
import { approvedResetOf } from '../../test/fixtures';
import { sql } from '../../test/sql';
import { until } from '../../test/until';

process.env.RESET_CHUNK_SIZE = '200'; // read by config() on first use: ~10 chunks per partition

it('two workers on one campaign: one worker per partition at a time, every customer exactly once', async () => {
  const campaign = await approvedResetOf(6000);

  const runners = [
    createResetRunner({ databaseUrl: process.env.DATABASE_URL!, pollMs: 20 }),
    createResetRunner({ databaseUrl: process.env.DATABASE_URL!, pollMs: 20 }),
  ];
  await Promise.all(runners.map((runner) => runner.start()));
  try {
    await until(
      async () =>
        (await sql<{ status: string }>(`SELECT status FROM "ResetCampaign" WHERE id = $1`, [campaign.id]))[0].status ===
        'COMPLETED',
      60_000,
    );
  } finally {
    await Promise.all(runners.map((runner) => runner.stop()));
  }

  const [counts] = await sql(
    `SELECT c."processedCount", c."mailedCount",
            (SELECT count(DISTINCT "customerId")::int FROM "ResetToken" WHERE "campaignId" = c.id) AS "tokenCustomers",
            (SELECT count(*)::int FROM "ResetToken" WHERE "campaignId" = c.id) AS tokens,
            (SELECT count(*)::int FROM "MailMessage" WHERE "campaignId" = c.id) AS mails,
            (SELECT count(*)::int FROM "Customer" WHERE "mustResetPassword") AS flagged
       FROM "ResetCampaign" c WHERE c.id = $1`,
    [campaign.id],
  );
  expect(counts).toEqual({
    processedCount: 6000,
    mailedCount: 6000,
    tokenCustomers: 6000,
    tokens: 6000,
    mails: 6000,
    flagged: 6000,
  });

  const chunks = await sql<{ partition: number; runner: string; customers: number }>(
    `SELECT (data->>'partition')::int AS partition, data->>'runner' AS runner, (data->>'customers')::int AS customers
       FROM "AuditEvent" WHERE action = 'reset.chunk_done' AND "targetId" = $1 ORDER BY seq`,
    [campaign.id],
  );
  expect(chunks.reduce((sum, c) => sum + c.customers, 0)).toBe(6000);
  const runnersOf = new Map<number, Set<string>>();
  for (const c of chunks) runnersOf.set(c.partition, (runnersOf.get(c.partition) ?? new Set()).add(c.runner));
  expect([...runnersOf.values()].map((set) => set.size)).toEqual([1, 1, 1]);
  expect(chunks.every((c) => runners.some((r) => r.id === c.runner))).toBe(true);
}, 120_000);
