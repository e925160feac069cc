import { Reply, readBody, staffRoute } from '@/lib/api/route';
import { addChannel, listChannels } from '@/lib/channels';

export const GET = staffRoute('GET /channels', async (_request, actor) => ({ channels: await listChannels(actor) }));

/** {name, kind, handle, url?, publicNote?}: listed as TRUSTED, signed. */
export const POST = staffRoute(
  'POST /channels',
  async (request, actor) => new Reply(201, { channel: await addChannel(actor, await readBody(request)) }),
);
