import type { Metadata } from 'next';
import Link from 'next/link';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { NoticeStatus } from '@/components/disclosures/notice-status';
import { SeverityBadge, StatusBadge } from '@/components/incidents/badges';
import { ResetProgress } from '@/components/resets/reset-panel';
import { Countdown } from '@/components/ui/countdown';
import { LocalTime } from '@/components/ui/local-time';
import { requireStaff } from '@/lib/auth/session';
import { listChannels } from '@/lib/channels';
import { listDisclosures } from '@/lib/disclosures';
import { listIncidents } from '@/lib/incidents';
import { listResets } from '@/lib/resets';
import { formatDuration } from '@/lib/time';

export const metadata: Metadata = { title: 'Response status' };

export default async function OverviewPage() {
  const actor = await requireStaff();
  const incidents = await Promise.all(
    (await listIncidents(actor, { open: true })).map(async (incident) => ({
      ...incident,
      reset: (await listResets(actor, incident.id)).find((c) => c.status !== 'CANCELLED'),
      notice: (await listDisclosures(actor, incident.id))[0] ?? null,
    })),
  );
  const compromised = (await listChannels(actor)).filter((c) => c.status === 'COMPROMISED');
  const now = Date.now();
  return (
    <>
      <PageHeader
        title="Response status"
        description="Every open incident at a glance: severity, status, age and the nearest deadline."
      >
        <AutoRefresh seconds={5} />
      </PageHeader>
      <section
        aria-label="Public status page"
        className={`mb-4 rounded-lg border p-4 text-sm ${compromised.length ? 'border-red-300 bg-red-50' : 'border-slate-200 bg-white'}`}
      >
        {compromised.length ? (
          <p className="font-semibold text-red-900">
            Compromised official channel{compromised.length > 1 ? 's' : ''}:{' '}
            {compromised.map((c) => c.label).join('; ')} — the public page warns customers to ignore{' '}
            {compromised.length > 1 ? 'them' : 'it'}.
          </p>
        ) : (
          <p>No official channel is marked compromised.</p>
        )}
        <p className="mt-1">
          <a href="/status" className="text-sky-800 underline">
            The public status page
          </a>{' '}
          ·{' '}
          <Link href="/channels" className="text-sky-800 underline">
            Official channels
          </Link>
        </p>
      </section>
      {incidents.length === 0 ? (
        <EmptyState title="No open incidents." />
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Open incidents">
          {incidents.map((incident) => (
            <li
              key={incident.id}
              className={`rounded-lg border bg-white p-5 shadow-sm ${incident.severity === 'SEV1' ? 'border-red-300' : 'border-slate-200'}`}
            >
              <div className="flex items-center gap-2">
                <Link href={`/incidents/${incident.reference}`} className="font-mono text-sm font-semibold underline">
                  {incident.reference}
                </Link>
                <SeverityBadge severity={incident.severity} />
                <StatusBadge status={incident.status} />
                <span className="ml-auto text-xs text-slate-500">
                  open {formatDuration(now - incident.declaredAt.getTime())}
                </span>
              </div>
              <p className="mt-2 font-semibold">{incident.title}</p>
              <div className="mt-3 text-sm">
                {incident.nearestDeadline ? (
                  <p>
                    <span className="text-slate-500">Next deadline: </span>
                    <span className="font-medium">{incident.nearestDeadline.title}</span> —{' '}
                    <LocalTime iso={incident.nearestDeadline.dueAt!.toISOString()} showUtc={false} /> (
                    <Countdown dueIso={incident.nearestDeadline.dueAt!.toISOString()} />)
                  </p>
                ) : (
                  <p className="text-slate-500">No regulatory clock running.</p>
                )}
                {incident.overdue > 0 && (
                  <p className="mt-1 font-semibold text-red-700">{incident.overdue} clock(s) overdue</p>
                )}
                <p className="mt-2" data-testid="notice-state">
                  <span className="text-slate-500">Customers told: </span>
                  {incident.notice ? (
                    <>
                      <NoticeStatus status={incident.notice.status} />{' '}
                      {incident.notice.publishedRevision
                        ? `revision ${incident.notice.publishedRevision} public`
                        : `revision ${incident.notice.latestRevision}, not public yet`}
                    </>
                  ) : (
                    <span className="font-medium text-amber-800">no notice yet</span>
                  )}
                </p>
                {incident.reset && (
                  <div className="mt-3 border-t border-slate-100 pt-2">
                    <p className="text-xs font-semibold uppercase text-slate-500">
                      Password reset · {incident.reset.status.replace('_', ' ')}
                    </p>
                    {incident.reset.status === 'PENDING_APPROVAL' ? (
                      <p className="text-sm">
                        {incident.reset.targetCount.toLocaleString('en-US')} customers, waiting for approval
                      </p>
                    ) : (
                      <ResetProgress campaign={incident.reset} />
                    )}
                  </div>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
