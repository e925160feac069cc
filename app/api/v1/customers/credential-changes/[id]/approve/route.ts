import { staffRoute } from '@/lib/api/route';
import { approveCredentialChanges } from '@/lib/customers/credential-changes';

/** A second SECURITY/ADMIN person, signed in (a token is refused), applies the changes. */
export const POST = staffRoute('POST /customers/credential-changes/{id}/approve', async (_request, actor, { id }) => ({
  request: await approveCredentialChanges(actor, id),
}));
