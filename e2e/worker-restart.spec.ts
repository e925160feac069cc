// `npm start` keeps a worker running: killed (as an OOM killer or a crash would), it is started
// again by the launcher, and health reports a live worker again by itself.

import pg from 'pg';
import { e2eDatabaseUrl } from './helpers';
import { expect, test } from './test';

test('a worker that dies is started again by the launcher, and health recovers by itself', async ({ request }) => {
  test.skip(Boolean(process.env.DATABASE_URL), 'runs against the embedded e2e database');
  test.setTimeout(60_000);
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const live = async () =>
      (
        await client.query<{ id: string; pid: number }>(
          `SELECT id, pid FROM "WorkerHeartbeat" WHERE "lastSeenAt" > now() - interval '10 seconds' ORDER BY "lastSeenAt" DESC`,
        )
      ).rows;
    await expect.poll(async () => (await live()).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const [victim] = await live();
    process.kill(victim.pid, 'SIGKILL');
    // A new worker process (another heartbeat id) comes up without anyone doing anything.
    await expect
      .poll(async () => (await live()).some((w) => w.id !== victim.id && w.pid !== victim.pid), { timeout: 30_000 })
      .toBe(true);
    await expect.poll(async () => (await request.get('/api/v1/health')).status(), { timeout: 30_000 }).toBe(200);
  } finally {
    await client.end();
  }
});
