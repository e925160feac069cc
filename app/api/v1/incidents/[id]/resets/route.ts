import { json, readBody, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { getIncident } from '@/lib/incidents';
import { listResets, requestReset } from '@/lib/resets';

type Params = { id: string };

/** {scope: ALL|AFFECTED, onlyWithout2fa?, onlyWithBalance?, revokeSessions?, revokeApiKeys?, sendMail?, lockWithdrawalsHours?} → the pending campaign with its dry-run targetCount. */
export const POST = staffRoute<Params>(async (request, actor, { id }) =>
  json({ campaign: await requestReset(actor, id, await readBody(request)) }, 201),
);

export const GET = staffRoute<Params>(async (_request, actor, { id }) => {
  assertCan(actor, 'console.read');
  const incident = await getIncident(actor, id);
  return json({ campaigns: await listResets(actor, incident.id) });
});
