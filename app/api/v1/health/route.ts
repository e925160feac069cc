import { json, publicRoute } from '@/lib/api/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Public liveness: 200 when the database answers and a worker is alive, else 503. */
export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return json(health, health.ok ? 200 : 503);
});
