import { staffRoute } from '@/lib/api/route';
import { getCredentialChanges } from '@/lib/customers/credential-changes';

/** One request and its changes (customer, line, old and new email, whether the password hash changes). */
export const GET = staffRoute('GET /customers/credential-changes/{id}', async (_request, actor, { id }) => ({
  request: await getCredentialChanges(actor, id),
}));
