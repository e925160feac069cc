import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { checkHealth } from '@/lib/health';
import { VERIFY_AUDIT_CHAIN } from './jobs/verify-audit-chain';
import { startWorker, type Worker } from './index';
import { until } from '../test/until';

let worker: Worker;
beforeAll(async () => {
  await db.$transaction((tx) => recordAudit(tx, systemActor('test'), { action: 'test.event' }));
  worker = await startWorker({ log: () => {} });
});
afterAll(() => worker?.stop());


describe('worker', () => {
  it('reports itself alive through the health check', async () => {
    const health = await checkHealth();
    expect(health).toMatchObject({ ok: true, database: { ok: true }, worker: { ok: true, alive: 1 } });
  });

  it('schedules the recurring audit-chain verification and runs it as a pg-boss job', async () => {
    const schedules = await worker.boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain(VERIFY_AUDIT_CHAIN);
    await worker.boss.send(VERIFY_AUDIT_CHAIN, {});
    const row = await until(() => db.auditVerification.findFirst(), 20_000, 200);
    expect(row).toMatchObject({ ok: true, checked: 1 });
  });

  it('health reports no worker once its heartbeat is stale', async () => {
    await db.workerHeartbeat.updateMany({ data: { lastSeenAt: new Date(Date.now() - 120_000) } });
    expect(await checkHealth()).toMatchObject({ ok: false, worker: { ok: false, alive: 0 } });
  });
});
