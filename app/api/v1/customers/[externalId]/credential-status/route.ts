import { staffRoute } from '@/lib/api/route';
import { credentialStatus } from '@/lib/customers/credential-status';

export const GET = staffRoute(
  'GET /customers/{externalId}/credential-status',
  async (_request, actor, { externalId }) => credentialStatus(actor, externalId),
);
