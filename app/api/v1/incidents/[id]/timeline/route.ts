import { readBody, staffRoute } from '@/lib/api/route';
import { addNote } from '@/lib/incidents';

export const POST = staffRoute('POST /incidents/{id}/timeline', async (request, actor, { id }) =>
  addNote(actor, id, await readBody(request)),
);
