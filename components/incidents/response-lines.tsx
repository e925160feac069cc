import { Countdown } from '@/components/ui/countdown';
import { LocalTime } from '@/components/ui/local-time';
import { type Clock, clockUrgency } from '@/lib/clocks';
import { listed } from '@/lib/response';

/** The next regulatory deadline, pinned in the header: red under an hour (or overdue), amber under 12 hours. */
export function DeadlineLine({ clock }: { clock: Clock | null }) {
  if (!clock?.dueAt)
    return <p className="rounded-md bg-slate-50 px-3 py-2 text-slate-600">No regulatory clock running.</p>;
  const urgency = clockUrgency(clock);
  const tone =
    urgency === 'overdue' || urgency === 'critical'
      ? 'bg-red-50 text-red-900 ring-red-300'
      : urgency === 'soon'
        ? 'bg-amber-50 text-amber-950 ring-amber-300'
        : 'bg-slate-50 text-slate-800 ring-slate-200';
  return (
    <p className={`rounded-md px-3 py-2 ring-1 ${tone}`} data-testid="next-deadline" data-urgency={urgency}>
      <span className="font-semibold">Next deadline:</span> {clock.title} —{' '}
      <span className="font-semibold">
        <Countdown dueIso={clock.dueAt.toISOString()} />
      </span>{' '}
      (<LocalTime iso={clock.dueAt.toISOString()} showUtc={false} />)
    </p>
  );
}

/** Whether outbound mail is frozen, since when and how much it holds. */
export function FreezeLine({ freeze }: { freeze: { streams: string[]; since: Date; held: number } | null }) {
  return freeze ? (
    <p className="rounded-md bg-red-50 px-3 py-2 text-red-900 ring-1 ring-red-300" data-testid="mail-state">
      <span className="font-semibold">{listed(freeze.streams)} frozen</span> since{' '}
      <LocalTime iso={freeze.since.toISOString()} showUtc={false} />, {freeze.held.toLocaleString('en-US')} held
    </p>
  ) : (
    <p className="rounded-md bg-slate-50 px-3 py-2 text-slate-700 ring-1 ring-slate-200" data-testid="mail-state">
      Outbound mail is sending (nothing frozen).
    </p>
  );
}
