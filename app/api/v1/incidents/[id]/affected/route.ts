import { z } from 'zod';
import { json, readBody, staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { markAffected } from '@/lib/resets';
import { parseInput } from '@/lib/validation';

const input = z.object({ externalIds: z.array(z.string().trim().min(1).max(200)).min(1).max(100_000) });

/** {externalIds: [...]}: marks those customers as affected by the incident (the AFFECTED cohort). */
export const POST = staffRoute<{ id: string }>(async (request, actor, { id }) => {
  assertCan(actor, 'incident.update');
  const { externalIds } = parseInput(input, await readBody(request));
  return json(await markAffected(actor, id, externalIds), 201);
});
