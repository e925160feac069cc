// Each worker process upserts its row every few seconds (with how much mail it has sent);
// /api/v1/health reads them.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { db } from '@/lib/db';
import { logger } from '@/lib/log';

/** `mailSent` reads this worker's dispatcher's count of sent messages (0 without one). */
export function startHeartbeat(options: { intervalMs?: number; mailSent?: () => number } = {}) {
  const intervalMs = options.intervalMs ?? 5000;
  const mailSent = options.mailSent ?? (() => 0);
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const startedAt = new Date();
  const beat = () =>
    db.workerHeartbeat.upsert({
      where: { id },
      create: { id, hostname: hostname(), pid: process.pid, startedAt, lastSeenAt: new Date(), mailSent: mailSent() },
      update: { lastSeenAt: new Date(), mailSent: mailSent() },
    });
  const timer = setInterval(
    () => beat().catch((error) => logger('worker').error({ err: error }, 'heartbeat failed')),
    intervalMs,
  );
  return {
    id,
    first: beat(),
    async stop() {
      clearInterval(timer);
      await db.workerHeartbeat.delete({ where: { id } }).catch(() => {});
    },
  };
}
