import { readBody, staffRoute } from '@/lib/api/route';
import { markChannel } from '@/lib/channels';

/** {status, reason, publicNote?, incident?}: one SECURITY person; the public banner follows within a second. */
export const POST = staffRoute('POST /channels/{id}/status', async (request, actor, params) => ({
  channel: await markChannel(actor, params.id, await readBody(request)),
}));
