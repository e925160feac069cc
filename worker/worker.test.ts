import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { JOB_QUEUES } from '@/lib/db/job-queue';
import { checkHealth } from '@/lib/health';
import { sql } from '../test/sql';
import { until } from '../test/until';
import { startWorker, type Worker } from './index';

describe('a running worker', () => {
  let worker: Worker;
  beforeAll(async () => {
    await db.$transaction((tx) => recordAudit(tx, systemActor('test'), { action: 'incident.note_added' }));
    worker = await startWorker({ log: () => {} });
  });
  afterAll(() => worker?.stop());

  it('reports itself alive through the health check', async () => {
    const health = await checkHealth();
    expect(health).toMatchObject({ ok: true, database: { ok: true }, worker: { ok: true, alive: 1 } });
  });

  it('schedules the recurring audit-chain verification and runs it as a pg-boss job', async () => {
    const schedules = await worker.boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain(JOB_QUEUES.verifyAuditChain);
    const events = await db.auditEvent.count();
    expect(events).toBeGreaterThan(0);
    await worker.boss.send(JOB_QUEUES.verifyAuditChain, {});
    const row = await until(() => db.auditVerification.findFirst({ orderBy: { at: 'desc' } }), 20_000, 200);
    expect(row).toMatchObject({ ok: true, checked: events });
  });
});

describe('health without a live worker', () => {
  // What a killed worker leaves behind: its heartbeat row, no longer updated. No worker runs here,
  // so no heartbeat tick can refresh the row between the write and the check.
  it('reports no worker once the newest heartbeat is older than WORKER_STALE_SECONDS (30 s), and one again when a fresh one appears', async () => {
    const stale = new Date(Date.now() - 120_000);
    await sql(
      `INSERT INTO "WorkerHeartbeat" (id, hostname, pid, "startedAt", "lastSeenAt") VALUES ('dead:1', 'dead', 1, $1, $1)`,
      [stale],
    );
    try {
      expect(await checkHealth()).toMatchObject({
        ok: false,
        database: { ok: true },
        worker: { ok: false, alive: 0, lastSeenAt: stale.toISOString() },
      });
      await sql(
        `INSERT INTO "WorkerHeartbeat" (id, hostname, pid, "startedAt", "lastSeenAt") VALUES ('live:2', 'live', 2, now(), now())`,
      );
      expect(await checkHealth()).toMatchObject({ ok: true, worker: { ok: true, alive: 1 } });
    } finally {
      await sql(`DELETE FROM "WorkerHeartbeat" WHERE id IN ('dead:1', 'live:2')`);
    }
  });
});

describe('a worker that would mail reset links', () => {
  it("refuses to start without the console's public URL", async () => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const { promisify } = await import('node:util');
    const env = { ...process.env, SMTP_URL: 'smtp://127.0.0.1:9', NEXTAUTH_URL: '', FIREBREAK_PUBLIC_URL: '' };
    delete (env as Record<string, string | undefined>).NEXTAUTH_URL;
    delete (env as Record<string, string | undefined>).FIREBREAK_PUBLIC_URL;
    const run = promisify(execFile)(
      process.execPath,
      [join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'tsconfig.node.json', 'worker/main.ts'],
      { env, timeout: 30_000 },
    );
    // Exit 1, and the reason as a fatal line of the JSON log (stdout, like every line of it).
    const failure = (await run.catch((error: { code: number; stdout: string }) => error)) as {
      code: number;
      stdout: string;
    };
    expect(failure.code).toBe(1);
    const line = failure.stdout.split('\n').find((l) => l.includes('"fatal"'));
    expect(JSON.parse(line!)).toMatchObject({
      level: 'fatal',
      service: 'worker',
      err: { message: expect.stringContaining('Set FIREBREAK_PUBLIC_URL') },
    });
  }, 40_000);
});
