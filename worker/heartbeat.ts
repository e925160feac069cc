// Each worker process upserts its row every few seconds; /api/v1/health reads them.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';

export function startHeartbeat(intervalMs = 5000) {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const startedAt = new Date();
  const beat = () =>
    db.workerHeartbeat.upsert({
      where: { id },
      create: { id, hostname: hostname(), pid: process.pid, startedAt, lastSeenAt: new Date() },
      update: { lastSeenAt: new Date() },
    });
  const timer = setInterval(() => beat().catch((error) => console.error('[worker] heartbeat failed:', error.message)), intervalMs);
  return {
    id,
    first: beat(),
    async stop() {
      clearInterval(timer);
      await db.workerHeartbeat.delete({ where: { id } }).catch(() => {});
    },
  };
}
