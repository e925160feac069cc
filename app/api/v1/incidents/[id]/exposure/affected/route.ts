import { readBody, staffRoute } from '@/lib/api/route';
import { markExposedAffected } from '@/lib/blast';

/** {version}: the figures' version the person confirmed (a newer analysis is refused, 409). */
export const POST = staffRoute('POST /incidents/{id}/exposure/affected', async (request, actor, { id }) =>
  markExposedAffected(actor, id, await readBody(request)),
);
