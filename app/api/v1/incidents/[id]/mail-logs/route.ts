import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { staffRoute } from '@/lib/api/route';
import { importMailLog } from '@/lib/blast/import';
import { formatFromName } from '@/lib/customers/import';
import { Invalid } from '@/lib/errors';

/**
 * The body is the log itself, streamed (a 1M-message log never sits in memory): Content-Type
 * text/csv (with a header row) or application/x-ndjson (JSON Lines). `?name=` names it.
 */
export const POST = staffRoute('POST /incidents/{id}/mail-logs', async (request, actor, { id }, { name }) => {
  const format = formatFromName(name ?? '', request.headers.get('content-type'));
  if (!request.body) throw new Invalid('Send the log as the request body.', undefined, 'empty_import');
  return importMailLog(actor, id, Readable.fromWeb(request.body as unknown as WebReadableStream), format, {
    name: name?.trim() || undefined,
  });
});
