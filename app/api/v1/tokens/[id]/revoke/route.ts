import { staffRoute } from '@/lib/api/route';
import { revokeApiToken } from '@/lib/auth/tokens';

/** Your own token, or (ADMIN) anyone's: it stops working at once. */
export const POST = staffRoute('POST /tokens/{id}/revoke', async (_request, actor, { id }) =>
  revokeApiToken(actor, id),
);
