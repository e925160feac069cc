import { publicRoute, Reply } from '@/lib/api/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Public liveness: 200 when the database answers and a worker is alive, else 503 with Retry-After. */
export const GET = publicRoute('GET /health', async () => {
  const health = await checkHealth();
  return health.ok ? health : new Reply(503, health, { 'retry-after': '5' });
});
