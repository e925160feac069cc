import { staffRoute } from '@/lib/api/route';
import { listWebhookDeliveries } from '@/lib/webhooks';

export const GET = staffRoute('GET /webhooks/{id}/deliveries', async (_request, actor, { id }) =>
  listWebhookDeliveries(actor, id),
);
