import { json, staffRoute } from '@/lib/api/route';
import { approveCredentialChanges } from '@/lib/customers/credential-changes';

/** A second SECURITY/ADMIN person, signed in (a token is refused), applies the changes. */
export const POST = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json({ request: await approveCredentialChanges(actor, id) }),
);
