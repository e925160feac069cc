import { readBody, staffRoute } from '@/lib/api/route';
import { releaseHeld } from '@/lib/mail/outbox';

/** {stream?, incidentId?, campaignId?, dryRun?}: dryRun returns the count without changing anything. */
export const POST = staffRoute('POST /mail/held/release', async (request, actor) =>
  releaseHeld(actor, await readBody(request)),
);
