import { json, readBody, staffRoute } from '@/lib/api/route';
import { getIncident, updateIncident } from '@/lib/incidents';

type Params = { id: string };

/** :id is the incident's uuid or its reference (INC-2026-0001). */
export const GET = staffRoute<Params>(async (_request, actor, { id }) =>
  json({ incident: await getIncident(actor, id) }),
);

export const PATCH = staffRoute<Params>(async (request, actor, { id }) =>
  json({ incident: await updateIncident(actor, id, await readBody(request)) }),
);
