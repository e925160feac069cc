import { staffRoute } from '@/lib/api/route';
import { listHeld } from '@/lib/mail/outbox';

/** Held messages (newest 200, and the total): `?holdReason=OUTCOME_UNKNOWN|FROZEN`, `?campaignId=`. */
export const GET = staffRoute('GET /mail/held', async (_request, actor, _params, query) => listHeld(actor, query));
