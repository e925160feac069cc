import { staffRoute } from '@/lib/api/route';
import { listCredentialChangeRequests } from '@/lib/customers/credential-changes';

/** Credential changes imports asked for, newest first: pending ones wait for a second person. */
export const GET = staffRoute('GET /customers/credential-changes', async (_request, actor) => ({
  requests: await listCredentialChangeRequests(actor),
}));
