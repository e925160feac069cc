import { readBody, staffRoute } from '@/lib/api/route';
import { publishDisclosure } from '@/lib/disclosures';

/** {revision, notify: NONE|AFFECTED|ALL}: the approved newest revision, signed. */
export const POST = staffRoute('POST /disclosures/{id}/publish', async (request, actor, { id }) => ({
  disclosure: await publishDisclosure(actor, id, await readBody(request)),
}));
