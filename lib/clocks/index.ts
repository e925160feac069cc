// Regulatory clocks: pure functions from an incident's milestones to the deadlines that apply
// (DESIGN.md, "Flows → Declare"). No I/O and no ambient time: `now` is an argument, so every
// rule is table-tested (lib/clocks/clocks.test.ts). Durations in hours are elapsed time (UTC
// arithmetic, indifferent to DST); SEC business days are New York calendar days.
import { DateTime } from 'luxon';
import {
  CLOCK_IDS,
  CLOCKS,
  type ClockId,
  type Definition,
  type MilestoneKind,
  REGIMES,
  type Regime,
} from './definitions';
import { addUsBusinessDays, SEC_ZONE } from './us-business-days';

export * from './definitions';

export type Milestone = { kind: MilestoneKind; occurredAt: Date; report?: string | null };

export type ClockState =
  | 'NOT_STARTED' // the milestone it runs from is not recorded yet
  | 'RUNNING'
  | 'OVERDUE' // due time passed, nothing filed
  | 'MET' // filed by the due time
  | 'LATE' // filed after the due time
  | 'NO_FIXED_DEADLINE';

export type Clock = Definition & {
  id: ClockId;
  startAt: Date | null;
  dueAt: Date | null;
  filedAt: Date | null;
  state: ClockState;
  /** Milliseconds until due (negative when overdue); null unless RUNNING or OVERDUE. */
  remainingMs: number | null;
};

const HOUR = 3_600_000;
const plusHours = (date: Date, hours: number) => new Date(date.getTime() + hours * HOUR);

const earliest = (milestones: Milestone[], kind: MilestoneKind, report?: ClockId) =>
  milestones
    .filter((m) => m.kind === kind && (report === undefined || m.report === report))
    .reduce<Date | null>((min, m) => (min === null || m.occurredAt < min ? m.occurredAt : min), null);

const latest = (milestones: Milestone[], kind: MilestoneKind, report: ClockId) =>
  milestones
    .filter((m) => m.kind === kind && m.report === report)
    .reduce<Date | null>((max, m) => (max === null || m.occurredAt > max ? m.occurredAt : max), null);

/** Start and due time of each clock, from the milestones alone. */
function schedule(id: ClockId, milestones: Milestone[]): { startAt: Date | null; dueAt: Date | null } {
  const aware = earliest(milestones, 'AWARE');
  switch (id) {
    case 'GDPR_33':
    case 'MAS_1H':
      return { startAt: aware, dueAt: aware && plusHours(aware, id === 'GDPR_33' ? 72 : 1) };
    case 'GDPR_34':
      return { startAt: aware, dueAt: null };
    case 'NYDFS_72H': {
      const determined = earliest(milestones, 'DETERMINED');
      return { startAt: determined, dueAt: determined && plusHours(determined, 72) };
    }
    case 'NYDFS_EXTORTION': {
      const paid = earliest(milestones, 'EXTORTION_PAID');
      return { startAt: paid, dueAt: paid && plusHours(paid, 24) };
    }
    case 'SEC_8K': {
      const material = earliest(milestones, 'MATERIAL');
      if (!material) return { startAt: null, dueAt: null };
      const day = addUsBusinessDays(DateTime.fromJSDate(material, { zone: SEC_ZONE }), 4);
      return { startAt: material, dueAt: day.set({ hour: 17, minute: 30 }).toJSDate() };
    }
    case 'DORA_INITIAL': {
      // The earlier of 4 h from classification and 24 h from awareness; the 24 h bound runs
      // even before the incident is classified.
      const classified = earliest(milestones, 'CLASSIFIED_MAJOR');
      const bounds = [aware && plusHours(aware, 24), classified && plusHours(classified, 4)].filter(
        (d): d is Date => d !== null,
      );
      if (bounds.length === 0) return { startAt: null, dueAt: null };
      const start = [aware, classified]
        .filter((d): d is Date => d !== null)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      return { startAt: start, dueAt: new Date(Math.min(...bounds.map((d) => d.getTime()))) };
    }
    case 'DORA_INTERMEDIATE': {
      const initial = earliest(milestones, 'REPORT_FILED', 'DORA_INITIAL');
      return { startAt: initial, dueAt: initial && plusHours(initial, 72) };
    }
    case 'DORA_FINAL': {
      const intermediate = latest(milestones, 'REPORT_FILED', 'DORA_INTERMEDIATE');
      return {
        startAt: intermediate,
        dueAt: intermediate && DateTime.fromJSDate(intermediate, { zone: 'utc' }).plus({ months: 1 }).toJSDate(),
      };
    }
  }
}

export function computeClocks(input: { milestones: Milestone[]; regimes: readonly Regime[]; now: Date }): Clock[] {
  const { milestones, regimes, now } = input;
  return CLOCK_IDS.filter((id) => regimes.includes(CLOCKS[id].regime)).map((id) => {
    const { startAt, dueAt } = schedule(id, milestones);
    // DORA's final report is the last of its series: only the latest intermediate restarts it.
    const filedAt =
      id === 'DORA_FINAL' ? firstFiledSince(milestones, id, startAt) : earliest(milestones, 'REPORT_FILED', id);
    let state: ClockState;
    if (!startAt) state = 'NOT_STARTED';
    else if (filedAt) state = dueAt && filedAt > dueAt ? 'LATE' : 'MET';
    else if (!dueAt) state = 'NO_FIXED_DEADLINE';
    else state = now > dueAt ? 'OVERDUE' : 'RUNNING';
    const remainingMs = (state === 'RUNNING' || state === 'OVERDUE') && dueAt ? dueAt.getTime() - now.getTime() : null;
    return { id, ...CLOCKS[id], startAt, dueAt, filedAt, state, remainingMs };
  });
}

function firstFiledSince(milestones: Milestone[], id: ClockId, after: Date | null) {
  if (!after) return null;
  return milestones
    .filter((m) => m.kind === 'REPORT_FILED' && m.report === id && m.occurredAt >= after)
    .reduce<Date | null>((min, m) => (min === null || m.occurredAt < min ? m.occurredAt : min), null);
}

/** The open clock due soonest (for the executive view), or null. */
export function nearestDeadline(clocks: Clock[]): Clock | null {
  return (
    clocks
      .filter((c) => (c.state === 'RUNNING' || c.state === 'OVERDUE') && c.dueAt)
      .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())[0] ?? null
  );
}

/**
 * How urgent a clock is, for its colour: overdue, under an hour left (red), under 12 hours left
 * (amber), or later. A 1-hour clock with 14 minutes left is red while a 3-day clock is not.
 */
export type Urgency = 'overdue' | 'critical' | 'soon' | 'later' | 'closed';
export const CRITICAL_MS = HOUR;
export const SOON_MS = 12 * HOUR;
export function clockUrgency(clock: Pick<Clock, 'state' | 'remainingMs'>): Urgency {
  if (clock.state === 'OVERDUE') return 'overdue';
  if (clock.state !== 'RUNNING' || clock.remainingMs === null) return 'closed';
  if (clock.remainingMs < CRITICAL_MS) return 'critical';
  return clock.remainingMs < SOON_MS ? 'soon' : 'later';
}

/** Clocks in the order to work them: open ones by due time (overdue first), then the rest as defined. */
export function byDueTime(clocks: Clock[]): Clock[] {
  const open = (c: Clock) => (c.state === 'RUNNING' || c.state === 'OVERDUE') && c.dueAt !== null;
  return [
    ...clocks.filter(open).sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime()),
    ...clocks.filter((c) => !open(c)),
  ];
}

export function parseRegimes(value: string | undefined): Regime[] {
  if (!value || value.trim() === '') return [...REGIMES];
  const wanted = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const unknown = wanted.filter((r) => !(REGIMES as readonly string[]).includes(r));
  if (unknown.length)
    throw new Error(`FIREBREAK_REGIMES: unknown regime(s) ${unknown.join(', ')}; use any of ${REGIMES.join(', ')}`);
  return wanted as Regime[];
}
