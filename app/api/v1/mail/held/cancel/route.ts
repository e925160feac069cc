import { readBody, staffRoute } from '@/lib/api/route';
import { cancelHeld } from '@/lib/mail/outbox';

/** {stream?, incidentId?, campaignId?, dryRun?}: dryRun returns the count without changing anything. */
export const POST = staffRoute('POST /mail/held/cancel', async (request, actor) =>
  cancelHeld(actor, await readBody(request)),
);
