import { json, readBody, staffRoute } from '@/lib/api/route';
import { releaseHeld } from '@/lib/mail/outbox';

/** {stream?, incidentId?, campaignId?, dryRun?}: dryRun returns the count without changing anything. */
export const POST = staffRoute(async (request, actor) => json(await releaseHeld(actor, await readBody(request))));
