import { readBody, staffRoute } from '@/lib/api/route';
import { reviseDisclosure } from '@/lib/disclosures';

/** {title, body}: a new revision; the notice goes back to DRAFT. */
export const POST = staffRoute('POST /disclosures/{id}/revisions', async (request, actor, { id }) => ({
  disclosure: await reviseDisclosure(actor, id, await readBody(request)),
}));
