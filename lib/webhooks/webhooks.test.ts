// Signed webhooks, end to end: a reference receiver (test/webhook-receiver.ts) verifies them with the
// `standardwebhooks` package, and gets every customer of a 20,000-customer reset exactly once while
// the worker is killed and restarted and the receiver is down for a while.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { declareIncident } from '@/lib/incidents';
import { freezeMail } from '@/lib/mail/freeze';
import { approveReset, requestReset } from '@/lib/resets';
import { createWebhookEndpoint, listWebhookDeliveries, replayWebhookDelivery } from '@/lib/webhooks';
import { createWebhookDeliverer } from '@/lib/webhooks/deliver';
import { seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';
import { until } from '../../test/until';
import { startReceiver } from '../../test/webhook-receiver';
import { killWorker, startWorkerProcess, workerOutput } from '../../test/worker-process';

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true'; // the receiver listens on 127.0.0.1
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

/** A receiver and an endpoint for it, taking `events`. */
async function endpointFor(events: Parameters<typeof createWebhookEndpoint>[1]['events']) {
  const admin = await staffActor('ADMIN');
  let secret = '';
  const receiver = await startReceiver(() => secret);
  cleanups.push(receiver.close);
  const created = await createWebhookEndpoint(admin, { url: receiver.url, events });
  secret = created.secret;
  return { admin, receiver, endpoint: created.endpoint, secret };
}

function deliverer(options: { maxAttempts?: number } = {}) {
  const loop = createWebhookDeliverer({
    databaseUrl: process.env.DATABASE_URL!,
    allowPrivate: true,
    maxAttempts: options.maxAttempts ?? 5,
    retryBaseMs: 50,
    timeoutMs: 2000,
    pollMs: 20,
  });
  loop.start();
  cleanups.push(loop.stop);
  return loop;
}

describe('webhooks', () => {
  it('are signed per Standard Webhooks: the receiver verifies one; a replay is a repeat, a re-timestamped or stale copy is refused', async () => {
    const { receiver, endpoint, secret, admin } = await endpointFor(['incident.declared']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    deliverer();
    const incident = await declareIncident(await staffActor('SECURITY'), BREACH);
    await until(async () => receiver.state.accepted.length === 1, 10_000);
    expect(receiver.state.accepted[0]).toMatchObject({
      type: 'incident.declared',
      data: { incident: incident.reference, severity: 'SEV1', kind: 'DATA_BREACH' },
    });
    const { deliveries } = await listWebhookDeliveries(admin, endpoint.id);
    expect(deliveries).toEqual([
      expect.objectContaining({
        type: 'incident.declared',
        status: 'DELIVERED',
        attempts: 1,
        lastStatus: 204,
        lastResponseMs: expect.any(Number),
        eventId: receiver.state.accepted[0].id,
      }),
    ]);

    const { body, headers } = receiver.state.last!;
    const send = (h: Record<string, string>) =>
      fetch(receiver.url, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body });
    const signed = {
      'webhook-id': headers['webhook-id'],
      'webhook-timestamp': headers['webhook-timestamp'],
      'webhook-signature': headers['webhook-signature'],
    };
    expect((await send(signed)).status).toBe(204); // the same request again: acknowledged, not processed
    expect(receiver.state).toMatchObject({ repeats: 1, refused: 0 });
    expect(receiver.state.accepted).toHaveLength(1);
    const later = String(Number(headers['webhook-timestamp']) + 60);
    expect((await send({ ...signed, 'webhook-timestamp': later })).status).toBe(401);
    // Signed with the right key, but ten minutes ago: a captured request replayed later.
    const stale = new Date(Date.now() - 600_000);
    const staleHeaders = {
      'webhook-id': 'msg_replayed_later',
      'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_replayed_later', stale, body),
    };
    expect((await send(staleHeaders)).status).toBe(401);
    expect((await send({ ...signed, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` })).status).toBe(
      401,
    );
    expect(receiver.state).toMatchObject({ refused: 3, repeats: 1 });
  });

  it('retry with backoff while the receiver fails, keep its order, go DEAD after the last attempt, and a replay delivers', async () => {
    const { receiver, endpoint, admin } = await endpointFor(['mail.frozen', 'incident.declared']);
    receiver.state.failing = true;
    deliverer({ maxAttempts: 3 });
    const security = await staffActor('SECURITY');
    await freezeMail(security, { streams: ['BULK'], reason: 'webhook test: first event' });
    const second = await declareIncident(security, BREACH);
    const dead = async () =>
      (await listWebhookDeliveries(admin, endpoint.id)).deliveries.filter((d) => d.status === 'DEAD');
    await until(async () => (await dead()).length === 1, 15_000);
    const [first] = await dead();
    expect(first).toMatchObject({ type: 'mail.frozen', attempts: 3, lastStatus: 500, lastError: 'HTTP 500' });
    // Only the head was attempted until it was dead: the second event waited behind the first.
    expect(receiver.state.failedIds.slice(0, 3)).toEqual([first.eventId, first.eventId, first.eventId]);
    expect(receiver.state.failedIds.slice(3)).not.toContain(first.eventId);
    // The head is dead: the second goes next (and fails too while the receiver is down).
    receiver.state.failing = false;
    await until(async () => receiver.state.accepted.length === 1, 15_000);
    expect(receiver.state.accepted[0]).toMatchObject({
      type: 'incident.declared',
      data: { incident: second.reference },
    });
    await replayWebhookDelivery(admin, first.id);
    await until(async () => receiver.state.accepted.length === 2, 15_000);
    expect(receiver.state.accepted[1]).toMatchObject({ type: 'mail.frozen', id: first.eventId });
    const [audit] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'webhook.delivery_replayed' AND "targetId" = $1`,
      [first.id],
    );
    expect(audit.n).toBe(1);
  });

  it('a 20,000-customer reset: every external id exactly once, through a killed worker and a receiver down for a while', async () => {
    await seedCustomers(20_000, { prefix: 'hook' });
    const { receiver } = await endpointFor(['reset.effective', 'reset.customers']);
    receiver.state.failing = true;
    const env = {
      ...process.env,
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_TIMEOUT_MS: '1000',
      RESET_CHUNK_SIZE: '500',
    };
    let worker = startWorkerProcess(env);
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, BREACH);
    const campaign = await requestReset(security, incident.id, { scope: 'ALL', sendMail: false });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    const processed = async () =>
      (await sql<{ n: number }>(`SELECT "processedCount" AS n FROM "ResetCampaign" WHERE id = $1`, [campaign.id]))[0].n;
    await until(async () => (await processed()) >= 5_000, 60_000).catch((error) => {
      throw new Error(`${error.message}: ${workerOutput(worker)}`);
    });
    killWorker(worker); // mid fan-out, with deliveries waiting on a failing receiver
    const atKill = await processed();
    setTimeout(() => {
      receiver.state.failing = false;
    }, 2_000);
    worker = startWorkerProcess(env);
    const ids = () =>
      receiver.state.accepted
        .filter((r) => r.type === 'reset.customers')
        .flatMap((r) => r.data.externalIds as string[]);
    await until(async () => ids().length >= 20_000, 120_000).catch((error) => {
      throw new Error(`${error.message} with ${ids().length} ids: ${workerOutput(worker)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // anything more would show now

    expect(atKill).toBeLessThan(20_000);
    expect(receiver.state.failed).toBeGreaterThan(0);
    expect(ids()).toHaveLength(20_000);
    expect(new Set(ids()).size).toBe(20_000);
    const [{ n: chunks }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "WebhookEvent" WHERE type = 'reset.customers'`,
    );
    const accepted = receiver.state.accepted;
    expect(accepted.filter((r) => r.type === 'reset.customers')).toHaveLength(chunks);
    expect(accepted.filter((r) => r.type === 'reset.effective')).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      type: 'reset.effective',
      data: { campaign: campaign.id, incident: incident.reference, cohort: { scope: 'ALL', customers: 20_000 } },
    });
    expect(receiver.state.refused).toBe(0);
  }, 240_000);
});
