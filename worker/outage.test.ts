// PostgreSQL itself goes away for 20 s — a restart, a failover — in the middle of a reset's
// fan-out and its mail: the worker stays up, the public customer endpoints answer 503 with
// Retry-After instead of 500, and when the database is back everything finishes by itself with
// exact counts and no mail sent twice. Runs on a cluster of its own (stopping the shared test
// cluster would break the other test files).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@/lib/db/embedded';
import { prepareDatabase } from '@/lib/db/prepare';
import { freePort } from '../test/ports';

const dataDir = join(process.cwd(), `.data/test-outage-${process.pid}`);
let server: EmbeddedDatabase;
let port: number;

beforeAll(async () => {
  port = await freePort();
  rmSync(dataDir, { recursive: true, force: true });
  server = await startEmbeddedPostgres({ dataDir, port, durable: false });
  const url = server.urlFor('postgres');
  await prepareDatabase(url);
  process.env.DATABASE_URL = url; // every module of this file, and the worker, use this cluster
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the database goes away for 20 s during a reset', () => {
  it('the worker survives and finishes; customer endpoints answer 503 meanwhile', async () => {
    const { seedCustomers, OLD_PASSWORD } = await import('../test/customers');
    const { declaredIncident, staffActor } = await import('../test/fixtures');
    const { approveReset, requestReset } = await import('@/lib/resets');
    const { startSink, statusCounts, duplicateMessageIds, until } = await import('../test/mail');
    const { sql } = await import('../test/sql');
    const { startWorkerProcess, workerOutput } = await import('../test/worker-process');
    const { POST: login } = await import('../app/api/v1/customer/login/route');
    const { GET: health } = await import('../app/api/v1/health/route');

    await seedCustomers(20_000, { prefix: 'outage' });
    const sink = await startSink();
    const { security, incident } = await declaredIncident();
    const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
    const child = startWorkerProcess({
      ...process.env,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      SMTP_DELIVERY_CHECK: 'sink',
      RESET_CHUNK_SIZE: '500',
      MAIL_RATE_PER_SECOND: '500',
      MAIL_RETRY_BASE_MS: '100',
    });
    try {
      await approveReset(await staffActor('ADMIN'), campaign.id);
      await until(
        async () => ((await statusCounts(`"campaignId" = '${campaign.id}'`)).SENT ?? 0) > 200 || null,
        60_000,
        50,
      );
      // The worker is up (its heartbeat is written at the end of its start): the outage hits it running.
      await until(async () => (await sql(`SELECT 1 FROM "WorkerHeartbeat"`)).length > 0 || null, 30_000, 50);

      await server.stop(); // PostgreSQL shuts down: every connection is terminated
      const call = (body: object) =>
        login(
          new Request('http://localhost/api/v1/customer/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
          { params: Promise.resolve({}) },
        );
      const refused = await call({ email: 'outage1@customers.example', password: OLD_PASSWORD });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({ error: 'unavailable' });
      const down = await health(new Request('http://localhost/api/v1/health'), { params: Promise.resolve({}) });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      expect(child.exitCode, `the worker exited while the database was down:\n${workerOutput(child)}`).toBeNull();
      server = await startEmbeddedPostgres({ dataDir, port, durable: false });

      await until(
        async () =>
          (await sql<{ status: string }>(`SELECT status FROM "ResetCampaign" WHERE id = $1`, [campaign.id]))[0]
            .status === 'COMPLETED' || null,
        120_000,
        200,
      );
      await until(
        async () => (await statusCounts(`"campaignId" = '${campaign.id}'`)).SENT === 20_000 || null,
        120_000,
        200,
      );
      const [counts] = await sql<{ tokens: number; mails: number; received: number }>(
        `SELECT (SELECT count(*)::int FROM "ResetToken" WHERE "campaignId" = $1) AS tokens,
                (SELECT count(*)::int FROM "MailMessage" WHERE "campaignId" = $1) AS mails,
                (SELECT count(DISTINCT "messageId")::int FROM "SinkMessage") AS received`,
        [campaign.id],
      );
      expect(counts).toEqual({ tokens: 20_000, mails: 20_000, received: 20_000 });
      expect(await duplicateMessageIds()).toBe(0);
      expect(child.exitCode).toBeNull();
      expect((await call({ email: 'outage1@customers.example', password: OLD_PASSWORD })).status).toBe(403); // back: password_reset_required
    } finally {
      child.kill('SIGTERM');
      await sink.stop().catch(() => {});
    }
  }, 240_000);
});
