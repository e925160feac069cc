import { readBody, staffRoute } from '@/lib/api/route';
import { credentialStatuses } from '@/lib/customers/credential-status';

export const POST = staffRoute('POST /customers/credential-status', async (request, actor) =>
  credentialStatuses(actor, await readBody(request)),
);
