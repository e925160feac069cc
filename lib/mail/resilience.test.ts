// Failure modes: the SMTP server goes away mid-dispatch; a worker process is killed mid-batch.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../../test/sql';
import { killWorker, startWorkerProcess } from '../../test/worker-process';
import { duplicateMessageIds, queue, sinkCount, startDispatcher, startSink, statusCounts, until } from '../../test/mail';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

describe('SMTP sink down mid-dispatch', () => {
  it('messages retry and complete when it returns; none lost, none duplicated', async () => {
    let sink = await startSink();
    const port = sink.port;
    const dispatcher = startDispatcher(port, { retryBaseMs: 100, maxAttempts: 50, ratePerSecond: 400 });
    cleanups.push(() => dispatcher.stop());
    const prefix = await queue('TRANSACTIONAL', 1500);
    await until(async () => (await sinkCount()) >= 200, 30_000, 5);
    await sink.stop();
    await new Promise((resolve) => setTimeout(resolve, 500)); // chunks in flight settle
    const beforeOutage = await sinkCount();
    expect((await statusCounts()).SENT).toBe(beforeOutage); // SENT means accepted: no more, no less
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await statusCounts()).SENT).toBe(beforeOutage); // nothing is marked sent while it is down
    sink = await startSink(port);
    cleanups.push(() => sink.stop());
    await until(async () => (await statusCounts(`"idempotencyKey" LIKE '${prefix}:%'`)).SENT === 1500, 60_000);
    expect(await statusCounts()).toEqual({ SENT: 1500 });
    expect(await sinkCount()).toBe(1500);
    expect(await duplicateMessageIds()).toBe(0);
    const retried = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "MailMessage" WHERE attempts > 1`);
    expect(retried[0].n).toBeGreaterThan(0);
  });
});

function worker(smtpPort: number, env: Record<string, string> = {}) {
  return startWorkerProcess({
    ...process.env,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_DELIVERY_CHECK: 'sink',
    MAIL_LEASE_SECONDS: '1',
    MAIL_RETRY_BASE_MS: '100',
    ...env,
  });
}

describe('worker killed mid-batch', () => {
  it('a real SIGKILL of the worker process; a new worker finishes; none lost, none duplicated', async () => {
    const sink = await startSink();
    cleanups.push(() => sink.stop());
    const prefix = await queue('SECURITY', 2000);
    const first = worker(sink.port, { MAIL_RATE_PER_SECOND: '300', MAIL_BATCH_SIZE: '500' });
    const mine = `"headerTo" LIKE '%@${prefix}.example'`;
    await until(async () => (await sinkCount(mine)) >= 300, 60_000, 5);
    killWorker(first);
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = await statusCounts(`"idempotencyKey" LIKE '${prefix}:%'`);
    expect(atKill.SENDING ?? 0).toBeGreaterThan(0); // it died holding claimed messages
    expect(atKill.SENT ?? 0).toBeLessThan(2000);

    worker(sink.port);
    await until(async () => (await statusCounts(`"idempotencyKey" LIKE '${prefix}:%'`)).SENT === 2000, 90_000, 100);
    expect(await sinkCount(mine)).toBe(2000);
    expect(await duplicateMessageIds()).toBe(0);
  }, 120_000);
});
