import { readBody, staffRoute } from '@/lib/api/route';
import { getIncident, updateIncident } from '@/lib/incidents';

/** :id is the incident's uuid or its reference (INC-2026-0001). */
export const GET = staffRoute('GET /incidents/{id}', async (_request, actor, { id }) => ({
  incident: await getIncident(actor, id),
}));

export const PATCH = staffRoute('PATCH /incidents/{id}', async (request, actor, { id }) => ({
  incident: await updateIncident(actor, id, await readBody(request)),
}));
