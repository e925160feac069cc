import { staffRoute } from '@/lib/api/route';
import { replayWebhookDelivery } from '@/lib/webhooks';

export const POST = staffRoute('POST /webhook-deliveries/{id}/replay', async (_request, actor, { id }) => ({
  delivery: await replayWebhookDelivery(actor, id),
}));
