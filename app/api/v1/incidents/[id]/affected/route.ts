import { z } from 'zod';
import { json, readJson, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { markAffected } from '@/lib/resets';

const MAX_IDS = 100_000;
const input = z.strictObject({ externalIds: z.array(z.string().trim().min(1).max(200)).min(1).max(MAX_IDS) });
/** Room for MAX_IDS ids of the usual length (~40 bytes each with quotes and commas); the list's own limit names the count. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** {externalIds: [...]}: marks those customers as affected by the incident (the AFFECTED cohort); up to 100,000 per call. */
export const POST = staffRoute<{ id: string }>(async (request, actor, { id }) => {
  assertCan(actor, 'incident.update');
  const { externalIds } = await readJson(request, input, MAX_BODY_BYTES);
  return json(await markAffected(actor, id, externalIds), 201);
});
