import { json, staffRoute } from '@/lib/api/route';
import { cancelCredentialChanges } from '@/lib/customers/credential-changes';

/** Nothing is applied; the request stays on record as CANCELLED. */
export const POST = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json({ request: await cancelCredentialChanges(actor, id) }),
);
