import { readBody, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { getIncident } from '@/lib/incidents';
import { listResets, requestReset } from '@/lib/resets';

/** {scope: ALL|AFFECTED, onlyWithout2fa?, onlyWithBalance?, revokeSessions?, revokeApiKeys?, sendMail?, lockWithdrawalsHours?} → the pending campaign with its dry-run targetCount. */
export const POST = staffRoute('POST /incidents/{id}/resets', async (request, actor, { id }) => ({
  campaign: await requestReset(actor, id, await readBody(request)),
}));

export const GET = staffRoute('GET /incidents/{id}/resets', async (_request, actor, { id }) => {
  assertCan(actor, 'console.read');
  const incident = await getIncident(actor, id);
  return { campaigns: await listResets(actor, incident.id) };
});
