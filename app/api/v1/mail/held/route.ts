import { json, staffRoute } from '@/lib/api/route';
import { listHeld } from '@/lib/mail/outbox';

/** Held messages (newest 200, and the total): `?holdReason=OUTCOME_UNKNOWN|FROZEN`, `?campaignId=`. */
export const GET = staffRoute(async (request, actor) => {
  const params = new URL(request.url).searchParams;
  return json(await listHeld(actor, { holdReason: params.get('holdReason'), campaignId: params.get('campaignId') }));
});
