import { json, readBody, staffRoute } from '@/lib/api/route';
import { addNote } from '@/lib/incidents';

export const POST = staffRoute<{ id: string }>(async (request, actor, { id }) =>
  json(await addNote(actor, id, await readBody(request)), 201),
);
