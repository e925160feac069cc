// A worker survives losing any of its database connections: a DBA's pg_terminate_backend, a
// failover or a restart of PostgreSQL. Terminated again and again while it sends mail and fans out
// a reset, it stays up, resumes by itself, and finishes with exact counts and nothing sent twice.
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { approveReset, requestReset } from '@/lib/resets';
import { seedCustomers } from '../test/customers';
import { declaredIncident, staffActor } from '../test/fixtures';
import { duplicateMessageIds, queue, sinkCount, startSink, statusCounts, until } from '../test/mail';
import { sql } from '../test/sql';
import { startWorkerProcess } from '../test/worker-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

function worker(name: string, smtpPort: number, env: Record<string, string> = {}) {
  const child = startWorkerProcess({
    ...process.env,
    PGAPPNAME: name,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_DELIVERY_CHECK: 'sink',
    MAIL_LEASE_SECONDS: '2',
    MAIL_RETRY_BASE_MS: '100',
    MAIL_RATE_PER_SECOND: '400',
    ...env,
  });
  return child;
}

/** Terminates every backend of the worker (each kind: Prisma, pg-boss, dispatcher, attempts, fan-out). */
async function terminateAll(name: string) {
  const rows = await sql<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
    [name],
  );
  return rows.filter((r) => r.terminated).length;
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

describe('a worker whose database connections are terminated', () => {
  it('while sending mail: stays up, resumes, every message sent exactly once', async () => {
    const sink = await startSink();
    cleanups.push(() => sink.stop());
    const prefix = await queue('SECURITY', 3000);
    const mine = `"idempotencyKey" LIKE '${prefix}:%'`;
    const name = `faults-mail-${process.pid}`;
    const child = worker(name, sink.port);
    await until(async () => (await sinkCount(`"headerTo" LIKE '%@${prefix}.example'`)) >= 300, 60_000, 20);
    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      terminated += await terminateAll(name);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(alive(child), `the worker died in round ${round}`).toBe(true);
    }
    expect(terminated).toBeGreaterThan(10);
    await until(async () => (await statusCounts(mine)).SENT === 3000, 90_000, 200);
    expect(alive(child)).toBe(true);
    expect(await sinkCount(`"headerTo" LIKE '%@${prefix}.example'`)).toBe(3000);
    expect(await duplicateMessageIds()).toBe(0);
  }, 120_000);

  it('while fanning out a reset: stays up, and every customer gets exactly one link and one mail', async () => {
    const sink = await startSink();
    cleanups.push(() => sink.stop());
    await seedCustomers(20_000, { prefix: 'faults' });
    const { security, incident } = await declaredIncident();
    const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
    const name = `faults-reset-${process.pid}`;
    const child = worker(name, sink.port, { RESET_CHUNK_SIZE: '500', MAIL_RATE_PER_SECOND: '0' });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    const processed = async () =>
      (await sql<{ n: number }>(`SELECT "processedCount" AS n FROM "ResetCampaign" WHERE id = $1`, [campaign.id]))[0].n;
    await until(async () => (await processed()) > 0 || null, 30_000, 20);
    for (let round = 0; round < 4 && (await processed()) < 20_000; round++) {
      await terminateAll(name);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(alive(child), `the worker died in round ${round}`).toBe(true);
    }
    await until(
      async () =>
        (await sql<{ status: string }>(`SELECT status FROM "ResetCampaign" WHERE id = $1`, [campaign.id]))[0].status ===
          'COMPLETED' || null,
      90_000,
      200,
    );
    const [counts] = await sql<{ tokens: number; mails: number; customers: number }>(
      `SELECT (SELECT count(*)::int FROM "ResetToken" WHERE "campaignId" = $1) AS tokens,
              (SELECT count(*)::int FROM "MailMessage" WHERE "campaignId" = $1) AS mails,
              (SELECT count(*)::int FROM "Customer") AS customers`,
      [campaign.id],
    );
    expect(counts.tokens).toBe(counts.customers);
    expect(counts.mails).toBe(counts.customers);
    expect(await processed()).toBe(counts.customers);
    await until(
      async () => (await statusCounts(`"campaignId" = '${campaign.id}'`)).SENT === counts.customers,
      90_000,
      200,
    );
    expect(await duplicateMessageIds()).toBe(0);
    expect(alive(child)).toBe(true);
  }, 180_000);
});
