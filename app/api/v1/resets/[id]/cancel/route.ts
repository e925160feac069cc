import { staffRoute } from '@/lib/api/route';
import { cancelReset } from '@/lib/resets';

export const POST = staffRoute('POST /resets/{id}/cancel', async (_request, actor, { id }) => ({
  campaign: await cancelReset(actor, id),
}));
