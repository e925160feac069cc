// Failure modes: the SMTP server goes away mid-dispatch; a worker process is killed mid-batch.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../../test/sql';
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

function startWorkerProcess(smtpPort: number, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', join(process.cwd(), 'tsconfig.node.json'), join(process.cwd(), 'worker/main.ts')],
    {
      env: {
        ...process.env,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        SMTP_DELIVERY_CHECK: 'sink',
        MAIL_LEASE_SECONDS: '1',
        MAIL_RETRY_BASE_MS: '100',
        ...env,
      },
      detached: true, // its own process group, so the kill takes tsx's child with it
      stdio: 'ignore',
    },
  );
  cleanups.push(async () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return child;
}

describe('worker killed mid-batch', () => {
  it('a real SIGKILL of the worker process; a new worker finishes; none lost, none duplicated', async () => {
    const sink = await startSink();
    cleanups.push(() => sink.stop());
    const prefix = await queue('SECURITY', 2000);
    const first = startWorkerProcess(sink.port, { MAIL_RATE_PER_SECOND: '300', MAIL_BATCH_SIZE: '500' });
    const mine = `"headerTo" LIKE '%@${prefix}.example'`;
    await until(async () => (await sinkCount(mine)) >= 300, 60_000, 5);
    process.kill(-first.pid!, 'SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = await statusCounts(`"idempotencyKey" LIKE '${prefix}:%'`);
    expect(atKill.SENDING ?? 0).toBeGreaterThan(0); // it died holding claimed messages
    expect(atKill.SENT ?? 0).toBeLessThan(2000);

    startWorkerProcess(sink.port);
    await until(async () => (await statusCounts(`"idempotencyKey" LIKE '${prefix}:%'`)).SENT === 2000, 90_000, 100);
    expect(await sinkCount(mine)).toBe(2000);
    expect(await duplicateMessageIds()).toBe(0);
  }, 120_000);
});
