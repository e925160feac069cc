import { readBody, staffRoute } from '@/lib/api/route';
import { recordMilestone } from '@/lib/incidents';

/** {kind, occurredAt?, report?, note?}: report names the clock a REPORT_FILED milestone stops. */
export const POST = staffRoute('POST /incidents/{id}/milestones', async (request, actor, { id }) => ({
  milestone: await recordMilestone(actor, id, await readBody(request)),
}));
