import { readBody, staffRoute } from '@/lib/api/route';
import { declareIncident, listIncidents } from '@/lib/incidents';

/** ?open=true lists only incidents that are not CLOSED. */
export const GET = staffRoute('GET /incidents', async (_request, actor, _params, { open }) => ({
  incidents: await listIncidents(actor, { open: open === 'true' }),
}));

export const POST = staffRoute('POST /incidents', async (request, actor) => ({
  incident: await declareIncident(actor, await readBody(request)),
}));
