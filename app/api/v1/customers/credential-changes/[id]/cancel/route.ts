import { staffRoute } from '@/lib/api/route';
import { cancelCredentialChanges } from '@/lib/customers/credential-changes';

/** Nothing is applied; the request stays on record as CANCELLED. */
export const POST = staffRoute('POST /customers/credential-changes/{id}/cancel', async (_request, actor, { id }) => ({
  request: await cancelCredentialChanges(actor, id),
}));
