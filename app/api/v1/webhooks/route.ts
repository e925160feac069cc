import { Reply, readBody, staffRoute } from '@/lib/api/route';
import { createWebhookEndpoint, listWebhookEndpoints } from '@/lib/webhooks';

export const GET = staffRoute('GET /webhooks', async (_request, actor) => ({
  endpoints: await listWebhookEndpoints(actor),
}));

export const POST = staffRoute(
  'POST /webhooks',
  async (request, actor) => new Reply(201, await createWebhookEndpoint(actor, await readBody(request))),
);
