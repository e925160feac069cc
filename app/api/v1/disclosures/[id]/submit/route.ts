import { staffRoute } from '@/lib/api/route';
import { submitDisclosure } from '@/lib/disclosures';

export const POST = staffRoute('POST /disclosures/{id}/submit', async (_request, actor, { id }) => ({
  disclosure: await submitDisclosure(actor, id),
}));
