// The regulatory clocks, in the order to work them (open ones by due time), coloured by urgency:
// red when overdue or under an hour left, amber under 12 hours, plain otherwise. Each running
// clock has its own "Mark filed" (a REPORT_FILED milestone for that report, now).
import { recordMilestoneAction } from '@/app/(console)/incidents/actions';
import { Badge } from '@/components/ui/badge';
import { Countdown } from '@/components/ui/countdown';
import { LocalTime } from '@/components/ui/local-time';
import { RowAction } from '@/components/ui/row-action';
import { byDueTime, type Clock, clockUrgency, type Urgency } from '@/lib/clocks';

const stateBadge: Record<Clock['state'], { tone: 'neutral' | 'good' | 'bad' | 'warn'; label: string }> = {
  NOT_STARTED: { tone: 'neutral', label: 'not started' },
  RUNNING: { tone: 'warn', label: 'running' },
  OVERDUE: { tone: 'bad', label: 'OVERDUE' },
  MET: { tone: 'good', label: 'filed' },
  LATE: { tone: 'bad', label: 'filed late' },
  NO_FIXED_DEADLINE: { tone: 'neutral', label: 'no fixed deadline' },
};

const urgencyClass: Record<Urgency, string> = {
  overdue: 'border-l-4 border-red-600 bg-red-50',
  critical: 'border-l-4 border-red-600 bg-red-50',
  soon: 'border-l-4 border-amber-500 bg-amber-50',
  later: 'border-l-4 border-slate-300',
  closed: 'border-l-4 border-transparent',
};

export function ClocksPanel({ clocks, reference, canFile }: { clocks: Clock[]; reference: string; canFile: boolean }) {
  return (
    <ul className="space-y-2" aria-label="Regulatory clocks">
      {byDueTime(clocks).map((clock) => {
        const urgency = clockUrgency(clock);
        const badge =
          urgency === 'critical' ? { tone: 'bad' as const, label: 'under 1 h left' } : stateBadge[clock.state];
        const open = clock.state === 'RUNNING' || clock.state === 'OVERDUE';
        return (
          <li
            key={clock.id}
            data-clock={clock.id}
            data-urgency={urgency}
            className={`rounded-md p-3 text-sm ${urgencyClass[urgency]}`}
          >
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-medium">{clock.title}</span>
              <Badge tone={badge.tone}>{badge.label}</Badge>
              {open && clock.dueAt && (
                <span className="whitespace-nowrap text-xs font-semibold">
                  <Countdown dueIso={clock.dueAt.toISOString()} />
                </span>
              )}
            </div>
            <p className="mt-1 text-xs text-slate-600">{clock.rule}</p>
            <p className="mt-1 text-xs text-slate-600">
              {clock.dueAt ? (
                <>
                  Due <LocalTime iso={clock.dueAt.toISOString()} />
                </>
              ) : clock.startAt ? (
                <>
                  Started <LocalTime iso={clock.startAt.toISOString()} showUtc={false} />
                </>
              ) : (
                'Starts when its milestone is recorded.'
              )}
              {clock.filedAt && (
                <>
                  {' '}
                  · filed <LocalTime iso={clock.filedAt.toISOString()} showUtc={false} />
                </>
              )}
            </p>
            {open && canFile && (
              <div className="mt-2">
                <RowAction
                  action={recordMilestoneAction.bind(null, reference)}
                  fields={{ kind: 'REPORT_FILED', report: clock.id }}
                  label="Mark filed"
                  accessibleName={`Mark filed: ${clock.title}`}
                  confirm={`Record that the ${clock.title} was filed now?`}
                />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
