import { readBody, staffRoute } from '@/lib/api/route';
import { freezeMail } from '@/lib/mail/freeze';

/** {streams: [..] | "ALL", reason}. Returns once no message of those streams is in an SMTP transaction. */
export const POST = staffRoute('POST /mail/freeze', async (request, actor) =>
  freezeMail(actor, await readBody(request)),
);
