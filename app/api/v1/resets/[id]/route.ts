import { staffRoute } from '@/lib/api/route';
import { getReset } from '@/lib/resets';

/** The campaign with live progress: processed, chunks, mail by status, ETA. */
export const GET = staffRoute('GET /resets/{id}', async (_request, actor, { id }) => ({
  campaign: await getReset(actor, id),
}));
