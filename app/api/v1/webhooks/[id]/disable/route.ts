import { staffRoute } from '@/lib/api/route';
import { disableWebhookEndpoint } from '@/lib/webhooks';

export const POST = staffRoute('POST /webhooks/{id}/disable', async (_request, actor, { id }) => ({
  endpoint: await disableWebhookEndpoint(actor, id),
}));
