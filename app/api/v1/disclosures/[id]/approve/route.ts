import { readBody, staffRoute } from '@/lib/api/route';
import { approveDisclosure } from '@/lib/disclosures';

/** {revision, contentHash}: the text you read. A person in a session, not the revision's author. */
export const POST = staffRoute('POST /disclosures/{id}/approve', async (request, actor, { id }) => ({
  disclosure: await approveDisclosure(actor, id, await readBody(request)),
}));
