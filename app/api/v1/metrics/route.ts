import { staffRoute } from '@/lib/api/route';
import { scrapeMetrics } from '@/lib/metrics';

/** The Prometheus scrape, with a staff token (Prometheus': scope metrics:read). */
export const GET = staffRoute('GET /metrics', async (_request, actor) => {
  const { contentType, body } = await scrapeMetrics(actor);
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
});
