// What Prometheus scrapes (GET /metrics, prom-client): the state of the response read from the
// database at each scrape — the outbox by stream and status, freezes and how long they have held
// mail, reset fan-out progress, the webhook backlog and dead letters, worker heartbeats — so any
// web replica answers for the whole system; and this process's own counters (customer login
// outcomes, credential-status answers) and runtime (event loop, memory), which each replica keeps
// for itself. The registry lives on globalThis: Next may load this module more than once.
import 'server-only';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { frozenStreams } from '@/lib/mail/freeze';
import { STREAMS } from '@/lib/mail/schema';
import { readTally } from '@/lib/mail/tally';

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { firebreakMetrics?: Metrics };

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firebreak_' });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    customerLogins: new Counter({
      name: 'firebreak_customer_logins_total',
      help: 'Reference customer logins answered by this process, by outcome: ok, wrong (email or password), reset_required, paused (too many failures), refused (bad input)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    credentialStatus: new Counter({
      name: 'firebreak_credential_status_total',
      help: 'Credential-status answers of this process, by status (valid, reset_required)',
      labelNames: ['status'],
      registers: [registry],
    }),
    outbox: gauge('firebreak_outbox_messages', 'Messages in the outbox by stream and status', ['stream', 'status']),
    frozen: gauge('firebreak_mail_stream_frozen', '1 while a freeze covers the stream', ['stream']),
    frozenSeconds: gauge(
      'firebreak_mail_stream_frozen_seconds',
      'How long the stream has been frozen (0 when it is not)',
      ['stream'],
    ),
    held: gauge('firebreak_mail_held_messages', 'Messages held (frozen or of unknown outcome), by stream', ['stream']),
    resetTarget: gauge('firebreak_reset_target_customers', 'Customers a running reset reaches', [
      'campaign',
      'incident',
    ]),
    resetProcessed: gauge('firebreak_reset_processed_customers', 'Customers a running reset has fanned out to', [
      'campaign',
      'incident',
    ]),
    webhooks: gauge('firebreak_webhook_deliveries', 'Webhook deliveries waiting (pending) or out of attempts (dead)', [
      'status',
    ]),
    workersAlive: gauge('firebreak_workers_alive', 'Workers whose heartbeat is fresh (WORKER_STALE_SECONDS)'),
    workerAge: gauge('firebreak_worker_heartbeat_age_seconds', 'Seconds since each known worker last beat', ['worker']),
    workerSent: gauge('firebreak_worker_mail_sent', 'Messages each live worker has sent since it started', ['worker']),
  };
}

export function metrics(): Metrics {
  globalForMetrics.firebreakMetrics ??= createMetrics();
  return globalForMetrics.firebreakMetrics;
}

/** Reads the system's state into the gauges. Each is set afresh: a campaign that finished disappears. */
async function readState(m: Metrics) {
  const [tally, frozen, freezes, campaigns, deliveries, workers] = await Promise.all([
    readTally(),
    frozenStreams(),
    db.mailFreeze.findMany({ where: { liftedAt: null }, select: { streams: true, frozenAt: true } }),
    db.$queryRaw<{ id: string; reference: string; targetCount: number; processedCount: number }[]>`
      SELECT c.id, i.reference, c."targetCount", c."processedCount"
        FROM "ResetCampaign" c JOIN "Incident" i ON i.id = c."incidentId" WHERE c.status = 'RUNNING'`,
    db.webhookDelivery.groupBy({
      by: ['status'],
      where: { status: { in: ['PENDING', 'DEAD'] } },
      _count: { _all: true },
    }),
    db.workerHeartbeat.findMany({ select: { id: true, lastSeenAt: true, mailSent: true } }),
  ]);
  const now = Date.now();
  m.outbox.reset();
  for (const row of tally) m.outbox.inc({ stream: row.stream, status: row.status }, row.n);
  for (const stream of STREAMS) {
    const oldest = Math.min(...freezes.filter((f) => f.streams.includes(stream)).map((f) => f.frozenAt.getTime()));
    m.frozen.set({ stream }, frozen.includes(stream) ? 1 : 0);
    m.frozenSeconds.set({ stream }, Number.isFinite(oldest) ? (now - oldest) / 1000 : 0);
    m.held.set(
      { stream },
      tally.filter((r) => r.stream === stream && r.status === 'HELD').reduce((sum, r) => sum + r.n, 0),
    );
  }
  m.resetTarget.reset();
  m.resetProcessed.reset();
  for (const c of campaigns) {
    const labels = { campaign: c.id, incident: c.reference };
    m.resetTarget.set(labels, c.targetCount);
    m.resetProcessed.set(labels, c.processedCount);
  }
  for (const status of ['PENDING', 'DEAD'] as const)
    m.webhooks.set({ status: status.toLowerCase() }, deliveries.find((d) => d.status === status)?._count._all ?? 0);
  const stale = config().WORKER_STALE_SECONDS;
  m.workerAge.reset();
  m.workerSent.reset();
  let alive = 0;
  for (const w of workers) {
    const age = (now - w.lastSeenAt.getTime()) / 1000;
    m.workerAge.set({ worker: w.id }, age);
    m.workerSent.set({ worker: w.id }, w.mailSent);
    if (age <= stale) alive++;
  }
  m.workersAlive.set(alive);
}

/** The scrape: the Prometheus text format. */
export async function scrapeMetrics(actor: Actor) {
  assertCan(actor, 'metrics.read');
  const m = metrics();
  await readState(m);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
