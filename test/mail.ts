// A real SMTP sink (loopback, storing into this test file's database) and a real dispatcher.
import { afterAll, beforeAll } from 'vitest';
import { createDispatcher, type DispatcherOptions } from '@/lib/mail/dispatcher';
import { enqueueMany } from '@/lib/mail/outbox';
import type { Stream } from '@/lib/mail/schema';
import { databaseStore, type Sink, sinkDeliveryCheck, startSmtpSink } from '@/lib/mail/sink';
import { sql } from './sql';

export { until } from './until';

export async function startSink(port = 0): Promise<Sink & { store: ReturnType<typeof databaseStore> }> {
  const store = databaseStore(process.env.DATABASE_URL!);
  const sink = await startSmtpSink({ port, store });
  return {
    ...sink,
    store,
    stop: async () => {
      await sink.stop();
      await store.close!();
    },
  };
}

export function startDispatcher(port: number, options: Partial<DispatcherOptions> = {}) {
  const check = sinkDeliveryCheck(process.env.DATABASE_URL!);
  const dispatcher = createDispatcher({
    databaseUrl: process.env.DATABASE_URL!,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: 'Firebreak Security <security@firebreak.test>',
    retryBaseMs: 50,
    idleMs: 20,
    deliveryCheck: check.check,
    ...options,
  });
  dispatcher.start();
  return {
    ...dispatcher,
    stop: async () => {
      await dispatcher.stop();
      await check.close();
    },
  };
}

/** A sink and a dispatcher sending to it, for the whole test file (started before its tests, stopped after). */
export function sinkAndDispatcherForFile(options: Partial<DispatcherOptions> = {}) {
  const running = {} as { sink: Awaited<ReturnType<typeof startSink>>; dispatcher: ReturnType<typeof startDispatcher> };
  beforeAll(async () => {
    running.sink = await startSink();
    running.dispatcher = startDispatcher(running.sink.port, options);
  });
  afterAll(async () => {
    await running.dispatcher?.stop();
    await running.sink?.stop();
  });
  return running;
}

export async function queue(stream: Stream, count: number, extra: { campaignId?: string; prefix?: string } = {}) {
  const prefix = extra.prefix ?? `${stream.toLowerCase()}-${Date.now()}`;
  const messages = Array.from({ length: count }, (_, i) => ({
    to: `user${i}@${prefix}.example`,
    subject: `Reset your password (${i})`,
    text: `Hello user ${i}`,
    idempotencyKey: `${prefix}:${i}`,
    campaignId: extra.campaignId,
  }));
  for (let i = 0; i < messages.length; i += 2000) await enqueueMany(stream, messages.slice(i, i + 2000));
  return prefix;
}

export const statusCounts = async (where = 'true') =>
  Object.fromEntries(
    (
      await sql<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM "MailMessage" WHERE ${where} GROUP BY status`,
      )
    ).map((r) => [r.status, r.n]),
  ) as Record<string, number>;

export const sinkCount = async (where = 'true') =>
  (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "SinkMessage" WHERE ${where}`))[0].n;
export const duplicateMessageIds = async () =>
  (
    await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT "messageId" FROM "SinkMessage" GROUP BY "messageId" HAVING count(*) > 1) d`,
    )
  )[0].n;
