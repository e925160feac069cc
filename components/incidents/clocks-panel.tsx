import { Badge } from '@/components/ui/badge';
import { Countdown } from '@/components/ui/countdown';
import { LocalTime } from '@/components/ui/local-time';
import type { Clock } from '@/lib/clocks';

const stateBadge: Record<Clock['state'], { tone: 'neutral' | 'good' | 'bad' | 'warn'; label: string }> = {
  NOT_STARTED: { tone: 'neutral', label: 'not started' },
  RUNNING: { tone: 'warn', label: 'running' },
  OVERDUE: { tone: 'bad', label: 'OVERDUE' },
  MET: { tone: 'good', label: 'met' },
  LATE: { tone: 'bad', label: 'filed late' },
  NO_FIXED_DEADLINE: { tone: 'neutral', label: 'no fixed deadline' },
};

export function ClocksPanel({ clocks }: { clocks: Clock[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm" aria-label="Regulatory clocks">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3">Clock</th>
            <th className="py-2 pr-3">Started</th>
            <th className="py-2 pr-3">Due</th>
            <th className="py-2 pr-3">Time left</th>
            <th className="py-2">State</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {clocks.map((clock) => (
            <tr key={clock.id} data-clock={clock.id} className="align-top">
              <td className="py-2 pr-3">
                <div className="font-medium">{clock.title}</div>
                <div className="text-xs text-slate-500">{clock.rule}</div>
              </td>
              <td className="py-2 pr-3 text-xs">
                {clock.startAt ? <LocalTime iso={clock.startAt.toISOString()} showUtc={false} /> : '—'}
              </td>
              <td className="py-2 pr-3 text-xs">{clock.dueAt ? <LocalTime iso={clock.dueAt.toISOString()} /> : '—'}</td>
              <td className="whitespace-nowrap py-2 pr-3 text-xs">
                {(clock.state === 'RUNNING' || clock.state === 'OVERDUE') && clock.dueAt ? (
                  <Countdown dueIso={clock.dueAt.toISOString()} />
                ) : clock.filedAt ? (
                  <>
                    filed <LocalTime iso={clock.filedAt.toISOString()} showUtc={false} />
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="py-2">
                <Badge tone={stateBadge[clock.state].tone}>{stateBadge[clock.state].label}</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
