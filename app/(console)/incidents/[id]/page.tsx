import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { BlastRadiusPanel } from '@/components/blast/blast-radius-panel';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { DisclosurePanel } from '@/components/disclosures/disclosure-panel';
import { AffectedForm } from '@/components/incidents/affected-form';
import { KIND_LABELS, SeverityBadge, StatusBadge } from '@/components/incidents/badges';
import { ClocksPanel } from '@/components/incidents/clocks-panel';
import { MilestoneForm } from '@/components/incidents/milestone-form';
import { NoteForm } from '@/components/incidents/note-form';
import { ResponseChecklist } from '@/components/incidents/response-checklist';
import { DeadlineLine, FreezeLine } from '@/components/incidents/response-lines';
import { UpdateForm } from '@/components/incidents/update-form';
import { ResetPanel } from '@/components/resets/reset-panel';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { MILESTONE_LABELS } from '@/lib/clocks';
import { NotFound } from '@/lib/errors';
import { getIncident } from '@/lib/incidents';
import { affectedCount } from '@/lib/resets';
import { responseState } from '@/lib/response';
import { formatDuration } from '@/lib/time';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).id) };
}

export default async function WarRoomPage({ params }: Props) {
  const actor = await requireStaff();
  const { id } = await params;
  const incident = await getIncident(actor, decodeURIComponent(id)).catch((error) =>
    error instanceof NotFound ? notFound() : Promise.reject(error),
  );
  const canUpdate = can(actor, 'incident.update');
  const age = formatDuration(Date.now() - incident.declaredAt.getTime());
  const [response, affected] = await Promise.all([responseState(actor, incident), affectedCount(actor, incident.id)]);
  const next = response.nextDeadline;

  return (
    <div className="space-y-6">
      <header className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <div className="flex flex-wrap items-center gap-3">
          <span className="font-mono text-sm text-slate-500">{incident.reference}</span>
          <span data-testid="incident-status">
            <StatusBadge status={incident.status} />
          </span>
          <span data-testid="incident-severity">
            <SeverityBadge severity={incident.severity} />
          </span>
          <span className="text-sm text-slate-600">{KIND_LABELS[incident.kind]}</span>
          <div className="ml-auto">
            <AutoRefresh seconds={5} />
          </div>
        </div>
        <h1 className="mt-2 break-words text-2xl font-bold tracking-tight">{incident.title}</h1>
        <p className="mt-2 whitespace-pre-line break-words text-sm text-slate-700">{incident.summary}</p>
        <div className="mt-4 grid gap-2 text-sm sm:grid-cols-2">
          <DeadlineLine clock={next} />
          <FreezeLine freeze={response.freeze} />
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-xs text-slate-500">Detected</dt>
            <dd>
              <LocalTime iso={incident.detectedAt.toISOString()} showUtc={false} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Declared</dt>
            <dd>
              <LocalTime iso={incident.declaredAt.toISOString()} showUtc={false} /> by {incident.declaredBy.name}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Age</dt>
            <dd>{age}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Commander</dt>
            <dd>{incident.commander?.name ?? '—'}</dd>
          </div>
        </dl>
      </header>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <ResponseChecklist steps={response.steps} />
          <Card title="Mandatory password reset" id="reset">
            <ResetPanel actor={actor} incident={incident} />
          </Card>
          <Card title="Blast radius" id="blast">
            <BlastRadiusPanel actor={actor} reference={incident.reference} closed={incident.status === 'CLOSED'} />
          </Card>
          <Card title="Regulatory clocks" id="clocks">
            <ClocksPanel clocks={incident.clocks} reference={incident.reference} canFile={canUpdate} />
          </Card>
          <Card title="Disclosure" id="disclosure">
            <DisclosurePanel actor={actor} reference={incident.reference} />
          </Card>
          <Card title="Timeline" id="timeline">
            <NoteForm reference={incident.reference} />
            <ol className="mt-5 space-y-3" aria-label="Timeline">
              {incident.timeline.map((entry) => (
                <li
                  key={entry.id}
                  className={`border-l-2 pl-3 ${entry.kind === 'NOTE' ? 'border-sky-400' : 'border-slate-300'}`}
                >
                  <div className="text-xs text-slate-500">
                    <LocalTime iso={entry.at.toISOString()} showUtc={false} /> · {entry.actorLabel}
                    {entry.kind === 'NOTE' && <span className="ml-1 font-semibold text-sky-700">note</span>}
                  </div>
                  <div className="whitespace-pre-line break-words text-sm">{entry.message}</div>
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          {canUpdate && (
            <Card title="Status and severity">
              <UpdateForm reference={incident.reference} status={incident.status} severity={incident.severity} />
            </Card>
          )}
          <Card title="Affected customers" id="affected">
            <p className="mb-3 text-sm" data-testid="affected-count">
              {affected.toLocaleString('en-US')} customer(s) marked affected: the reset's "affected" cohort and a
              notice's "affected customers".
            </p>
            {canUpdate && incident.status !== 'CLOSED' && <AffectedForm reference={incident.reference} />}
          </Card>
          <Card title="Milestones">
            <ul className="mb-4 space-y-2 text-sm">
              {incident.milestones.map((m) => (
                <li key={m.id}>
                  <span className="font-medium">
                    {m.kind === 'REPORT_FILED' ? `Report filed: ${m.report}` : MILESTONE_LABELS[m.kind]}
                  </span>
                  <div className="text-xs text-slate-500">
                    <LocalTime iso={m.occurredAt.toISOString()} showUtc={false} /> · recorded by {m.recordedBy}
                  </div>
                </li>
              ))}
            </ul>
            {canUpdate && (
              <MilestoneForm
                reference={incident.reference}
                reports={incident.clocks.map((c) => ({ id: c.id, title: c.title }))}
              />
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}
