import { staffRoute } from '@/lib/api/route';
import { approveReset } from '@/lib/resets';

/** A second SECURITY/ADMIN user approves; the requester gets 403 self_approval. In effect on return. */
export const POST = staffRoute('POST /resets/{id}/approve', async (_request, actor, { id }) => ({
  campaign: await approveReset(actor, id),
}));
