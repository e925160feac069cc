import { readBody, staffRoute } from '@/lib/api/route';
import { unfreezeMail } from '@/lib/mail/freeze';

/** {streams, reason}. Held messages stay held until released or cancelled. */
export const POST = staffRoute('POST /mail/unfreeze', async (request, actor) =>
  unfreezeMail(actor, await readBody(request)),
);
