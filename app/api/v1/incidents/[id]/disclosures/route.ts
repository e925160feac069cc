import { readBody, staffRoute } from '@/lib/api/route';
import { createDisclosure, listDisclosures } from '@/lib/disclosures';

export const GET = staffRoute('GET /incidents/{id}/disclosures', async (_request, actor, { id }) => ({
  disclosures: await listDisclosures(actor, id),
}));

/** {} drafts from the template and the incident's facts; {title, body} drafts that text. */
export const POST = staffRoute('POST /incidents/{id}/disclosures', async (request, actor, { id }) => ({
  disclosure: await createDisclosure(actor, id, await readBody(request)),
}));
