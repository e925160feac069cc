// The worker's watch on regulatory deadlines: once a minute, every open incident's clocks; a clock
// running with less than an hour left becomes a `clock.due` event (for webhooks and the incident's
// Slack channel), once per deadline — the key names the incident, the clock and its due time, so
// every worker may watch and a deadline moved by a new milestone is announced again.
import 'server-only';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { createPgPool } from '@/lib/db/pg';
import { pollingLoop } from '@/lib/polling';
import { emitWebhook } from '@/lib/webhooks/emit';
import { computeClocks } from './index';

const WARN_MS = 3_600_000;

/** Announces every clock due within the hour; returns how many were new. */
export async function announceDueClocks(q: Parameters<typeof emitWebhook>[0], now = new Date()) {
  const incidents = await db.incident.findMany({
    where: { status: { not: 'CLOSED' } },
    select: { id: true, reference: true, milestones: true },
  });
  let announced = 0;
  for (const incident of incidents) {
    for (const clock of computeClocks({ milestones: incident.milestones, regimes: config().FIREBREAK_REGIMES, now })) {
      if (clock.state !== 'RUNNING' || clock.remainingMs === null || clock.remainingMs > WARN_MS || !clock.dueAt)
        continue;
      await emitWebhook(q, {
        type: 'clock.due',
        key: `clock.due:${incident.id}:${clock.id}:${clock.dueAt.toISOString()}`,
        data: {
          incident: incident.reference,
          clock: clock.title,
          clockId: clock.id,
          dueAt: clock.dueAt,
          minutesLeft: Math.max(0, Math.floor(clock.remainingMs / 60_000)),
        },
      });
      announced++;
    }
  }
  return announced;
}

export function startClockWatch(options: { databaseUrl: string; pollMs?: number; log: (line: string) => void }) {
  const pool = createPgPool('clock watch', { connectionString: options.databaseUrl, max: 1 }, options.log);
  const loop = pollingLoop({
    name: 'clock watch',
    tick: () => announceDueClocks(pool),
    pollMs: options.pollMs ?? 60_000,
    log: options.log,
    close: () => pool.end(),
  });
  loop.start();
  return loop;
}
