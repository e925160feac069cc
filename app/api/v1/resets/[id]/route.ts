import { json, staffRoute } from '@/lib/api/route';
import { getReset } from '@/lib/resets';

/** The campaign with live progress: processed, chunks, mail by status, ETA. */
export const GET = staffRoute<{ id: string }>(async (_request, actor, { id }) =>
  json({ campaign: await getReset(actor, id) }),
);
