import { Readable } from 'node:stream';
import { staffRoute } from '@/lib/api/route';
import { exportExposure } from '@/lib/blast';

/** The exposed set as CSV, streamed from the database. */
export const GET = staffRoute('GET /incidents/{id}/exposure/export', async (_request, actor, { id }) => {
  const { reference, stream } = await exportExposure(actor, id);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${reference}-exposed.csv"`,
    },
  });
});
