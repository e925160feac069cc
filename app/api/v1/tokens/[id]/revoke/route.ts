import { json, staffRoute } from '@/lib/api/route';
import { revokeApiToken } from '@/lib/auth/tokens';

/** Your own token, or (ADMIN) anyone's: it stops working at once. */
export const POST = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json(await revokeApiToken(actor, id)),
);
