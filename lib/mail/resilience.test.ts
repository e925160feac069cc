// Failure modes: the SMTP server goes away mid-dispatch; a worker process is killed mid-batch,
// and killed inside the crash window (the SMTP server accepted a message, the worker has not
// committed that it did).
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseStore, startSmtpSink } from '@/lib/mail/sink';
import {
  duplicateMessageIds,
  queue,
  sinkCount,
  startDispatcher,
  startSink,
  statusCounts,
  until,
} from '../../test/mail';
import { sql } from '../../test/sql';
import { killWorker, startWorkerProcess } from '../../test/worker-process';

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
    const rows = `"idempotencyKey" LIKE '${prefix}:%'`;
    const received = `"headerTo" LIKE '%@${prefix}.example'`;
    await until(async () => (await sinkCount(received)) >= 200, 30_000, 5);
    await sink.stop();
    // SENT means accepted, no more, no less: once the chunks in flight have settled (their sends
    // fail and they commit), the SENT rows are exactly the messages the sink recorded.
    const sentNotReceived = async () =>
      (
        await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM "MailMessage" m WHERE ${rows} AND status = 'SENT' AND NOT EXISTS (SELECT 1 FROM "SinkMessage" s WHERE s."messageId" = m."messageId")`,
        )
      )[0].n;
    await until(async () => ((await statusCounts(rows)).SENT ?? 0) === (await sinkCount(received)), 15_000);
    const beforeOutage = await sinkCount(received);
    expect(await sentNotReceived()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await statusCounts(rows)).SENT).toBe(beforeOutage); // nothing is marked sent while it is down
    expect(await sentNotReceived()).toBe(0);
    sink = await startSink(port);
    cleanups.push(() => sink.stop());
    await until(async () => (await statusCounts(rows)).SENT === 1500, 60_000);
    expect(await statusCounts(rows)).toEqual({ SENT: 1500 });
    expect(await sinkCount(received)).toBe(1500);
    expect(await duplicateMessageIds()).toBe(0);
    const retried = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "MailMessage" WHERE ${rows} AND attempts > 1`,
    );
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
  it('a real SIGKILL of the worker process between rate-limited sends; a new worker finishes; none lost, none duplicated', async () => {
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

describe('worker killed inside the crash window (accepted by SMTP, not yet committed)', () => {
  /**
   * A sink that SIGKILLs the worker right after it recorded the `killAt`-th message and before it
   * answers 250: that message, and any other chunk's message accepted before the kill, was
   * delivered while its row is still SENDING (its transaction dies with the worker).
   */
  async function killInsideTheWindow(prefix: string, deliveryCheck: 'sink' | 'none') {
    const store = databaseStore(process.env.DATABASE_URL!);
    let victim: ChildProcess | undefined;
    let accepted = 0;
    let victimBackends = 0;
    let killedMessageId: string | null = null;
    const name = `crash-window-victim-${prefix}`;
    const sink = await startSmtpSink({
      port: 0,
      store: {
        async save(message) {
          await store.save(message);
          if (++accepted === 1)
            victimBackends = (await sql(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [name])).length;
          if (accepted === 120) {
            killedMessageId = message.messageId;
            killWorker(victim!);
          }
        },
      },
    });
    cleanups.push(
      () => store.close!(),
      () => sink.stop(),
    );
    await queue('SECURITY', 1000, { prefix });
    const mine = `"idempotencyKey" LIKE '${prefix}:%'`;
    victim = worker(sink.port, { SMTP_DELIVERY_CHECK: deliveryCheck, MAIL_BATCH_SIZE: '500', PGAPPNAME: name });
    await new Promise((resolve) => victim!.once('exit', resolve));
    // Its backends may still finish a statement (a claim) before PostgreSQL notices the client is
    // gone: look at the rows only once they are gone.
    expect(victimBackends).toBeGreaterThan(0); // its connections carry the name we wait on
    await until(
      async () => (await sql(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [name])).length === 0,
      15_000,
    );
    // In the window: rows still SENDING whose message the SMTP server already accepted.
    const [window] = await sql<{ sending: number; delivered: number }>(
      `SELECT count(*)::int AS sending, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "SinkMessage" s WHERE s."messageId" = m."messageId"))::int AS delivered
         FROM "MailMessage" m WHERE ${mine} AND status = 'SENDING'`,
    );
    expect(window.delivered).toBeGreaterThan(0);
    // Uncertain are only the messages that were inside an SMTP transaction: named in flight by a
    // slot row of the lost worker. The claimed rest was never handed to SMTP (or is known accepted).
    const uncertain = (
      await sql<{ id: string }>(
        `SELECT m.id FROM "MailMessage" m WHERE ${mine} AND m.status = 'SENDING'
            AND EXISTS (SELECT 1 FROM "MailSlot" s WHERE s."claimToken" = m."claimToken" AND s."inFlight" = m.id) ORDER BY m.id`,
      )
    ).map((r) => r.id);
    expect(uncertain.length).toBeGreaterThan(0); // the 120th message, recorded by the sink, never got its 250
    expect(uncertain.length).toBeLessThanOrEqual(5); // one per SMTP connection (MAIL_CONCURRENCY 5)
    // The 120th message — recorded, its 250 never sent — is among them.
    const [killed] = await sql<{ id: string }>(`SELECT id FROM "MailMessage" WHERE "messageId" = $1`, [
      killedMessageId,
    ]);
    expect(uncertain).toContain(killed.id);
    expect(window.sending).toBeGreaterThan(uncertain.length); // whole claimed batches are not uncertain
    worker(sink.port, { SMTP_DELIVERY_CHECK: deliveryCheck });
    return { mine, uncertain, window };
  }

  it('with a delivery check (the embedded sink), recovery marks the delivered ones SENT and sends the rest: each exactly once', async () => {
    const { mine } = await killInsideTheWindow('window-sink', 'sink');
    await until(async () => (await statusCounts(mine)).SENT === 1000, 90_000, 100);
    expect(await sinkCount(`"headerTo" LIKE '%@window-sink.example'`)).toBe(1000);
    expect(await duplicateMessageIds()).toBe(0);
  }, 120_000);

  it('with SMTP_DELIVERY_CHECK=none (a plain relay), every uncertain message is HELD with the reason, none is sent twice, the rest are sent', async () => {
    const { mine, uncertain } = await killInsideTheWindow('window-none', 'none');
    await until(async () => (await statusCounts(mine)).SENT === 1000 - uncertain.length, 90_000, 100);
    const held = await sql<{ id: string; lastError: string; holdReason: string }>(
      `SELECT id, "lastError", "holdReason" FROM "MailMessage" WHERE ${mine} AND status = 'HELD' ORDER BY id`,
    );
    expect(held.map((r) => r.id)).toEqual(uncertain);
    expect(held.every((r) => /outcome unknown/.test(r.lastError) && r.holdReason === 'OUTCOME_UNKNOWN')).toBe(true);
    // The recovery is on the record.
    const [event] = await sql<{ data: { held: number; heldMessages: string[] } }>(
      `SELECT data FROM "AuditEvent" WHERE action = 'mail.recovered' AND data->'heldMessages' ?| $1::text[]`,
      [uncertain],
    );
    expect(event.data.heldMessages.filter((id) => uncertain.includes(id)).sort()).toEqual(uncertain);
    expect(await statusCounts(mine)).toEqual({ SENT: 1000 - uncertain.length, HELD: uncertain.length });
    expect(await duplicateMessageIds()).toBe(0);
    // Every message that was not held reached the sink once; held ones reached it at most once.
    const [{ sentReceived }] = await sql<{ sentReceived: number }>(
      `SELECT count(*)::int AS "sentReceived" FROM "MailMessage" m WHERE ${mine} AND status = 'SENT' AND EXISTS (SELECT 1 FROM "SinkMessage" s WHERE s."messageId" = m."messageId")`,
    );
    expect(sentReceived).toBe(1000 - uncertain.length);
  }, 120_000);
});
