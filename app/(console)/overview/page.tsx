import type { Metadata } from 'next';
import Link from 'next/link';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { NoticeStatus } from '@/components/disclosures/notice-status';
import { SeverityBadge, StatusBadge } from '@/components/incidents/badges';
import { DeclareButton } from '@/components/incidents/declare-button';
import { DeadlineLine, FreezeLine } from '@/components/incidents/response-lines';
import { ResetProgress } from '@/components/resets/reset-panel';
import { LocalTime } from '@/components/ui/local-time';
import { requireStaff } from '@/lib/auth/session';
import { listChannels } from '@/lib/channels';
import { getIncident, listIncidents } from '@/lib/incidents';
import { campaignPhase } from '@/lib/resets';
import { responseState, type StepAction } from '@/lib/response';
import { formatDuration } from '@/lib/time';

export const metadata: Metadata = { title: 'Response status' };

export default async function OverviewPage() {
  const actor = await requireStaff();
  // The most severe first, then the newest (listIncidents' order).
  const open = (await listIncidents(actor, { open: true })).sort((a, b) => a.severity.localeCompare(b.severity));
  const incidents = await Promise.all(
    open.map(async ({ reference }) => {
      const incident = await getIncident(actor, reference);
      return { ...incident, response: await responseState(actor, incident) };
    }),
  );
  const compromised = (await listChannels(actor)).filter((c) => c.status === 'COMPROMISED');
  const now = Date.now();
  return (
    <>
      <PageHeader
        title="Response status"
        description="Every open incident on one screen each: the next deadline, mail, the reset, what customers were told, and where the response stands."
      >
        <div className="flex flex-wrap items-center gap-3">
          <DeclareButton actor={actor} />
          <AutoRefresh seconds={5} />
        </div>
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
          {incidents.map((incident) => {
            const { steps, campaign, notice, nextDeadline, freeze } = incident.response;
            const done = steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
            const current = steps.find((s) => s.state !== 'done' && s.state !== 'skipped');
            // The first open step the signed-in person can take: one click to where it is taken.
            const mine = steps.find((s) => s.state !== 'done' && s.action);
            const latest = incident.timeline[0];
            return (
              <li
                key={incident.id}
                className={`min-w-0 rounded-lg border bg-white p-4 shadow-sm sm:p-5 ${incident.severity === 'SEV1' ? 'border-red-300' : 'border-slate-200'}`}
              >
                <article aria-labelledby={`incident-${incident.id}`}>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-sm text-slate-600">{incident.reference}</span>
                    <SeverityBadge severity={incident.severity} />
                    <StatusBadge status={incident.status} />
                    <span className="ml-auto text-xs text-slate-500">
                      open {formatDuration(now - incident.declaredAt.getTime())}
                    </span>
                  </div>
                  <h2 id={`incident-${incident.id}`} className="mt-2 break-words text-lg font-semibold">
                    <Link href={`/incidents/${incident.reference}`} className="underline">
                      {incident.title}
                    </Link>
                  </h2>
                  <p className="text-sm text-slate-600">
                    Commander: {incident.commander?.name ?? 'none'} · {done} of {steps.length} steps done
                    {current && <> · next: {current.title.toLowerCase()}</>}
                  </p>
                  {mine && (
                    <Link
                      href={nextStepHref(incident.reference, mine.action!)}
                      className="mt-2 inline-block rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700"
                    >
                      Your next step: {mine.title} →
                    </Link>
                  )}
                  <div className="mt-3 space-y-2 text-sm">
                    <DeadlineLine clock={nextDeadline} />
                    {incident.clocks.some((c) => c.state === 'OVERDUE') && (
                      <p className="font-semibold text-red-700">
                        {incident.clocks.filter((c) => c.state === 'OVERDUE').length} clock(s) overdue
                      </p>
                    )}
                    <FreezeLine freeze={freeze} />
                    <p data-testid="notice-state">
                      <span className="text-slate-600">Customers told: </span>
                      {notice ? (
                        <>
                          <NoticeStatus status={notice.status} />{' '}
                          {notice.publishedRevision
                            ? `revision ${notice.publishedRevision} public`
                            : `revision ${notice.latestRevision}, not public yet`}
                        </>
                      ) : (
                        <span className="font-medium text-amber-800">no notice yet</span>
                      )}
                    </p>
                    {campaign && (
                      <div className="border-t border-slate-100 pt-2">
                        <p className="text-xs font-semibold text-slate-600">
                          Password reset · {campaignPhase(campaign).label}
                        </p>
                        {campaign.status === 'PENDING_APPROVAL' ? (
                          <p>{campaign.targetCount.toLocaleString('en-US')} customers, waiting for approval</p>
                        ) : (
                          <ResetProgress campaign={campaign} />
                        )}
                      </div>
                    )}
                    {latest && (
                      <p className="border-t border-slate-100 pt-2 text-slate-700">
                        <span className="text-xs text-slate-500">
                          Latest · <LocalTime iso={latest.at.toISOString()} showUtc={false} /> · {latest.actorLabel}
                        </span>
                        <span className="block break-words">{latest.message}</span>
                      </p>
                    )}
                  </div>
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** Where a step's action is taken: its own page, its place in the war room, or the war room's checklist. */
function nextStepHref(reference: string, action: StepAction) {
  if (action.kind === 'link' && !action.href.startsWith('#')) return action.href;
  return `/incidents/${reference}${action.kind === 'link' ? action.href : '#checklist'}`;
}
