import { json, staffRoute } from '@/lib/api/route';
import { listCredentialChangeRequests } from '@/lib/customers/credential-changes';

/** Credential changes imports asked for, newest first: pending ones wait for a second person. */
export const GET = staffRoute(async (_request, actor) => json({ requests: await listCredentialChangeRequests(actor) }));
