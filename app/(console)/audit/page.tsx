import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/console/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import { latestVerification, listAuditActions, listAuditEvents } from '@/lib/audit/query';
import { requireStaff } from '@/lib/auth/session';
import { Invalid } from '@/lib/errors';

export const metadata: Metadata = { title: 'Audit' };

type Search = { action?: string; actor?: string; target?: string; before?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireStaff();
  const search = await searchParams;
  const filter = {
    action: search.action || undefined,
    actor: search.actor || undefined,
    target: search.target || undefined,
    before: search.before || undefined,
    limit: 100,
  };
  // The same filters for the exports (the API reads them by these names).
  const filters = Object.fromEntries(
    (['action', 'actor', 'target'] as const).flatMap((key) => (search[key] ? [[key, search[key]]] : [])),
  ) as Record<string, string>;
  // The worker's latest walk of the chain (at its start and every 5 minutes, against its signed
  // checkpoints), not a walk per page view: that would read the whole log on every render.
  const [events, actions, lastRun] = await Promise.all([
    listAuditEvents(actor, filter).catch((error) => (error instanceof Invalid ? null : Promise.reject(error))),
    listAuditActions(actor),
    latestVerification(),
  ]);
  const oldest = events?.at(-1)?.seq;
  const query = new URLSearchParams(
    Object.entries({ ...search, before: oldest ?? '' }).filter(([, v]) => v) as [string, string][],
  );

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every state change, append-only and hash-chained. The exports give the oldest 1,000 events, filtered as below; GET /api/v1/audit pages through the rest (?after=, the x-next-after header)."
      >
        <div className="flex flex-wrap items-center gap-2">
          <a
            href={`/api/v1/audit?${new URLSearchParams({ ...filters, format: 'csv' })}`}
            download
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700"
          >
            Export CSV
          </a>
          <a
            href={`/api/v1/audit?${new URLSearchParams(filters)}`}
            download="audit.jsonl"
            className="rounded-md px-3 py-1.5 text-sm font-semibold text-slate-900 ring-1 ring-slate-300 hover:bg-slate-100"
          >
            Export JSON Lines
          </a>
        </div>
        <div data-testid="audit-chain-status">
          {!lastRun ? (
            <Badge>Not verified yet: a worker checks at its start and every 5 minutes</Badge>
          ) : lastRun.ok ? (
            <Badge tone="good">Chain verifies · {lastRun.checked} events</Badge>
          ) : (
            <Badge tone="bad">
              Chain BROKEN at event {lastRun.firstBadSeq}: {lastRun.problem}
            </Badge>
          )}
        </div>
      </PageHeader>
      {lastRun && (
        <p className="-mt-4 mb-4 text-xs text-slate-500">
          Checked by a worker at <LocalTime iso={lastRun.at.toISOString()} /> (GET /api/v1/audit/verify checks now).
        </p>
      )}
      <Card className="mb-4">
        <form className="grid gap-3 sm:grid-cols-4" aria-label="Filter audit events">
          <label className="text-sm font-medium text-slate-700">
            Action
            <select
              name="action"
              defaultValue={search.action ?? ''}
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              <option value="">Any</option>
              {actions.map((action) => (
                <option key={action}>{action}</option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-slate-700">
            Actor contains
            <input
              name="actor"
              defaultValue={search.actor ?? ''}
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          </label>
          <label className="text-sm font-medium text-slate-700">
            Target (id or type)
            <input
              name="target"
              defaultValue={search.target ?? ''}
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          </label>
          <div className="flex items-end gap-2">
            <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white">
              Filter
            </button>
            <Link href="/audit" className="px-2 py-1.5 text-sm text-slate-600 underline">
              Clear
            </Link>
          </div>
        </form>
      </Card>
      {events === null ? (
        <p role="alert" aria-label="Filter error" className="text-sm text-red-700">
          That filter is not valid.
        </p>
      ) : (
        <Table headers={['#', 'At (UTC)', 'Actor', 'Action', 'Target', 'Data']}>
          {events.map((event) => (
            <tr key={event.seq} className="align-top">
              <td className="px-3 py-2 font-mono text-xs text-slate-500">{event.seq}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                {event.at.replace('T', ' ').slice(0, 19)}
              </td>
              <td className="px-3 py-2">{event.actorLabel}</td>
              <td className="px-3 py-2 font-medium">{event.action}</td>
              <td className="px-3 py-2 text-xs text-slate-600">
                {event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}
              </td>
              <td className="max-w-md px-3 py-2 font-mono text-xs text-slate-600">
                {/* The whole record, folded: readable without hovering (and on a phone). */}
                <details>
                  <summary className="cursor-pointer truncate">{JSON.stringify(event.data)}</summary>
                  <pre className="mt-1 whitespace-pre-wrap break-all">{JSON.stringify(event.data, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
          {events.length === 0 && (
            <tr>
              <td colSpan={6} className="px-3 py-8 text-center text-slate-500">
                No events match.
              </td>
            </tr>
          )}
        </Table>
      )}
      {events && events.length === 100 && oldest !== '1' && (
        <Link href={`/audit?${query}`} className="mt-3 inline-block text-sm text-slate-700 underline">
          Older events →
        </Link>
      )}
    </>
  );
}
