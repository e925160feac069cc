import { readJson, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { markAffected } from '@/lib/resets';
import { markAffectedInput } from '@/lib/resets/schema';

/** Room for 100,000 ids of the usual length (~40 bytes each with quotes and commas); the list's own limit names the count. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** {externalIds?: [...], emails?: [...]}: marks those customers as affected by the incident (the AFFECTED cohort); up to 100,000 per call. */
export const POST = staffRoute('POST /incidents/{id}/affected', async (request, actor, { id }) => {
  assertCan(actor, 'incident.update');
  const { externalIds, emails } = await readJson(request, markAffectedInput, MAX_BODY_BYTES);
  return markAffected(actor, id, externalIds, emails);
});
