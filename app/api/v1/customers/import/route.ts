import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { staffRoute } from '@/lib/api/route';
import { assertCan } from '@/lib/auth/policy';
import { formatFromName, importCustomers } from '@/lib/customers/import';
import { Invalid } from '@/lib/errors';

/**
 * The body is the file itself, streamed (no size limit: a 1M-row directory never sits in memory):
 * Content-Type text/csv (with a header row) or application/x-ndjson (JSON Lines).
 * `?credentialChangeReason=…` asks for the file's changes to existing customers' email or password
 * hash to wait for a second person's approval; without it such a file is refused.
 */
export const POST = staffRoute(
  'POST /customers/import',
  async (request, actor, _params, { credentialChangeReason }) => {
    assertCan(actor, 'customers.import');
    const format = formatFromName('', request.headers.get('content-type'));
    if (!request.body) throw new Invalid('Send the file as the request body.', undefined, 'empty_import');
    const options =
      credentialChangeReason === undefined ? {} : { requestCredentialChanges: { reason: credentialChangeReason } };
    return importCustomers(actor, Readable.fromWeb(request.body as unknown as WebReadableStream), format, options);
  },
);
