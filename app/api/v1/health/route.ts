import { NextResponse } from 'next/server';
import { publicRoute } from '@/lib/api/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Public liveness: 200 when the database answers and a worker is alive, else 503 with Retry-After. */
export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return NextResponse.json(health, health.ok ? { status: 200 } : { status: 503, headers: { 'retry-after': '5' } });
});
