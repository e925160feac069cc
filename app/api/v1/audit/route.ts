import { staffRoute } from '@/lib/api/route';
import { AuditEvent } from '@/lib/api/views';
import { listAuditEvents, toCsvLine } from '@/lib/audit/query';

/**
 * The audit log, oldest first, as JSON Lines (default) or CSV (?format=csv). Page with
 * ?after=<seq> (and ?limit, max 1000); the last line's seq is the next cursor.
 */
export const GET = staffRoute('GET /audit', async (_request, actor, _params, { format, limit, ...filter }) => {
  const csv = format === 'csv';
  const events = await listAuditEvents(actor, { ...filter, limit: limit ?? 1000 }, 'oldest');
  const body = csv
    ? toCsvLine(null) + events.map(toCsvLine).join('')
    : events.map((event) => `${JSON.stringify(AuditEvent.parse(event))}\n`).join('');
  return new Response(body, {
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      ...(events.length ? { 'x-next-after': events.at(-1)!.seq } : {}),
    },
  });
});
