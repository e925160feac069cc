// The fan-out survives a real SIGKILL of the worker process: a restarted worker resumes from the
// campaign's cursor; counts are exact and nobody has two tokens or two mails.
import { expect, it } from 'vitest';
import { db } from '@/lib/db';
import { approvedResetOf } from '../../test/fixtures';
import { until } from '../../test/mail';
import { sql } from '../../test/sql';
import { killWorker, startWorkerProcess } from '../../test/worker-process';

/** No SMTP_URL: reset mail stays queued in the outbox, which is what we count. */
function worker() {
  const env: NodeJS.ProcessEnv = { ...process.env, RESET_CHUNK_SIZE: '250' };
  delete env.SMTP_URL;
  return startWorkerProcess(env);
}

it('a worker killed mid-campaign: the restarted one completes it; counts exact, no duplicates', async () => {
  const campaign = await approvedResetOf(20_000);

  const first = worker();
  const progress = () => db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
  await until(async () => (await progress()).processedCount >= 2000, 60_000, 20);
  killWorker(first);
  await new Promise((resolve) => first.once('exit', resolve));
  const atKill = await progress();
  expect(atKill.status).toBe('RUNNING');
  expect(atKill.processedCount).toBeLessThan(20_000);

  worker();
  await until(async () => (await progress()).status === 'COMPLETED', 120_000, 100);
  const done = await progress();
  expect(done).toMatchObject({ processedCount: 20_000, mailedCount: 20_000 });
  const [counts] = await sql<{
    tokens: number;
    tokenCustomers: number;
    mails: number;
    mailRecipients: number;
    flagged: number;
  }>(
    `SELECT (SELECT count(*)::int FROM "ResetToken" WHERE "campaignId" = $1) AS tokens,
            (SELECT count(DISTINCT "customerId")::int FROM "ResetToken" WHERE "campaignId" = $1) AS "tokenCustomers",
            (SELECT count(*)::int FROM "MailMessage" WHERE "campaignId" = $1) AS mails,
            (SELECT count(DISTINCT "to")::int FROM "MailMessage" WHERE "campaignId" = $1) AS "mailRecipients",
            (SELECT count(*)::int FROM "Customer" WHERE "mustResetPassword") AS flagged`,
    [campaign.id],
  );
  expect(counts).toEqual({
    tokens: 20_000,
    tokenCustomers: 20_000,
    mails: 20_000,
    mailRecipients: 20_000,
    flagged: 20_000,
  });
}, 240_000);
