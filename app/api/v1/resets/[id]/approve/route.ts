import { json, staffRoute } from '@/lib/api/route';
import { approveReset } from '@/lib/resets';

/** A second SECURITY/ADMIN user approves; the requester gets 403 self_approval. In effect on return. */
export const POST = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json({ campaign: await approveReset(actor, id) }),
);
