import { json, staffRoute } from '@/lib/api/route';
import { cancelReset } from '@/lib/resets';

export const POST = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json({ campaign: await cancelReset(actor, id) }),
);
