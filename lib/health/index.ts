// Liveness of the parts of a Firebreak deployment: the database answers, and at least one worker
// has written its heartbeat recently (worker/heartbeat.ts).
import 'server-only';
import { config } from '@/lib/config';
import { db } from '@/lib/db';

export type Health = {
  ok: boolean;
  database: { ok: boolean; error?: string };
  worker: { ok: boolean; alive: number; lastSeenAt: string | null };
};

export async function checkHealth(): Promise<Health> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    return {
      ok: false,
      database: { ok: false, error: (error as Error).message.split('\n')[0] },
      worker: { ok: false, alive: 0, lastSeenAt: null },
    };
  }
  const since = new Date(Date.now() - config().WORKER_STALE_SECONDS * 1000);
  const [alive, newest] = await Promise.all([
    db.workerHeartbeat.count({ where: { lastSeenAt: { gte: since } } }),
    db.workerHeartbeat.findFirst({ orderBy: { lastSeenAt: 'desc' }, select: { lastSeenAt: true } }),
  ]);
  return {
    ok: alive > 0,
    database: { ok: true },
    worker: { ok: alive > 0, alive, lastSeenAt: newest?.lastSeenAt.toISOString() ?? null },
  };
}
