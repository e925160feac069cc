import { json, readBody, staffRoute } from '@/lib/api/route';
import { declareIncident, listIncidents } from '@/lib/incidents';

/** ?open=true lists only incidents that are not CLOSED. */
export const GET = staffRoute(async (request, actor) => {
  const open = new URL(request.url).searchParams.get('open') === 'true';
  return json({ incidents: await listIncidents(actor, { open }) });
});

export const POST = staffRoute(async (request, actor) =>
  json({ incident: await declareIncident(actor, await readBody(request)) }, 201),
);
