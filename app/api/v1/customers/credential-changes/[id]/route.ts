import { json, staffRoute } from '@/lib/api/route';
import { getCredentialChanges } from '@/lib/customers/credential-changes';

/** One request and its changes (customer, line, old and new email, whether the password hash changes). */
export const GET = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json({ request: await getCredentialChanges(actor, id) }),
);
