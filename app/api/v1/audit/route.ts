import { staffRoute } from '@/lib/api/route';
import { listAuditEvents, toCsvLine } from '@/lib/audit/query';

/**
 * The audit log, oldest first, as JSON Lines (default) or CSV (?format=csv). Page with
 * ?after=<seq> (and ?limit, max 1000); the last line's seq is the next cursor.
 */
export const GET = staffRoute(async (request, actor) => {
  const url = new URL(request.url);
  const params = Object.fromEntries(url.searchParams);
  const csv = params.format === 'csv';
  const events = await listAuditEvents(
    actor,
    {
      action: params.action,
      actor: params.actor,
      target: params.target,
      after: params.after,
      limit: params.limit ?? 1000,
    },
    'oldest',
  );
  const body = csv
    ? toCsvLine(null) + events.map(toCsvLine).join('')
    : events.map((event) => `${JSON.stringify(event)}\n`).join('');
  return new Response(body, {
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      ...(events.length ? { 'x-next-after': events.at(-1)!.seq } : {}),
    },
  });
});
