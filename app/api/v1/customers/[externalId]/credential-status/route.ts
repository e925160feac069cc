import { staffRoute } from '@/lib/api/route';
import { credentialStatus } from '@/lib/customers/credential-status';
import { metrics } from '@/lib/metrics';

export const GET = staffRoute(
  'GET /customers/{externalId}/credential-status',
  async (_request, actor, { externalId }) => {
    const answer = await credentialStatus(actor, externalId);
    metrics().credentialStatus.inc({ status: answer.status });
    return answer;
  },
);
