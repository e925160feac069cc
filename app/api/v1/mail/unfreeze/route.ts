import { json, readBody, staffRoute } from '@/lib/api/route';
import { unfreezeMail } from '@/lib/mail/freeze';

/** {streams, reason}. Held messages stay held until released or cancelled. */
export const POST = staffRoute(async (request, actor) => json(await unfreezeMail(actor, await readBody(request))));
