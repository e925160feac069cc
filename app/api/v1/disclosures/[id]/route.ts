import { staffRoute } from '@/lib/api/route';
import { getDisclosure } from '@/lib/disclosures';

export const GET = staffRoute('GET /disclosures/{id}', async (_request, actor, { id }) => ({
  disclosure: await getDisclosure(actor, id),
}));
