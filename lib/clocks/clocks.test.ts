import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type ClockId, computeClocks, type Milestone, nearestDeadline, parseRegimes, REGIMES } from '@/lib/clocks';
import { isUsBusinessDay } from '@/lib/clocks/us-business-days';

const at = (iso: string) => new Date(iso);
const clock = (id: ClockId, milestones: Milestone[], now = '2000-01-01T00:00:00Z') => {
  const found = computeClocks({ milestones, regimes: REGIMES, now: at(now) }).find((c) => c.id === id);
  if (!found) throw new Error(`no clock ${id}`);
  return found;
};
const m = (kind: Milestone['kind'], iso: string, report?: ClockId): Milestone => ({
  kind,
  occurredAt: at(iso),
  report,
});

describe('hour-based clocks (elapsed time)', () => {
  it.each([
    ['GDPR_33', 'AWARE', '2026-05-04T09:15:00Z', '2026-05-07T09:15:00Z'],
    ['MAS_1H', 'AWARE', '2026-05-04T09:15:00Z', '2026-05-04T10:15:00Z'],
    ['NYDFS_72H', 'DETERMINED', '2026-05-04T09:15:00Z', '2026-05-07T09:15:00Z'],
    ['NYDFS_EXTORTION', 'EXTORTION_PAID', '2026-05-04T23:30:00Z', '2026-05-05T23:30:00Z'],
  ] as const)('%s runs from %s: %s → due %s', (id, kind, start, due) => {
    const c = clock(id, [m(kind, start)], start);
    expect(c.startAt).toEqual(at(start));
    expect(c.dueAt).toEqual(at(due));
    expect(c.state).toBe('RUNNING');
  });

  it('does not start before its milestone is recorded', () => {
    expect(clock('NYDFS_72H', [m('AWARE', '2026-05-04T09:15:00Z')])).toMatchObject({
      state: 'NOT_STARTED',
      startAt: null,
      dueAt: null,
    });
    expect(clock('NYDFS_EXTORTION', [])).toMatchObject({ state: 'NOT_STARTED' });
  });

  it('72 h across the EU spring-forward change is 72 elapsed hours: 71 on the Berlin wall clock', () => {
    // Clocks in Berlin jump from 02:00 to 03:00 on Sunday 2026-03-29.
    const c = clock('GDPR_33', [m('AWARE', '2026-03-27T10:00:00Z')]);
    expect(c.dueAt).toEqual(at('2026-03-30T10:00:00Z'));
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat('ccc HH:mm');
    expect([local(c.startAt!), local(c.dueAt!)]).toEqual(['Fri 11:00', 'Mon 12:00']);
  });

  it('the earliest AWARE milestone counts when several are recorded', () => {
    const c = clock('GDPR_33', [m('AWARE', '2026-05-04T12:00:00Z'), m('AWARE', '2026-05-04T08:00:00Z')]);
    expect(c.dueAt).toEqual(at('2026-05-07T08:00:00Z'));
  });
});

describe('SEC 8-K: 4 US business days, due 17:30 New York time', () => {
  it.each([
    // [determined (UTC), due (UTC), why]
    ['2026-09-04T23:00:00Z', '2026-09-11T21:30:00Z', 'Friday evening before Labor Day (Mon 7th): Tue, Wed, Thu, Fri'],
    ['2026-09-05T02:00:00Z', '2026-09-11T21:30:00Z', 'still Friday 22:00 in New York although Saturday in UTC'],
    ['2026-11-25T15:00:00Z', '2026-12-02T22:30:00Z', 'Wednesday before Thanksgiving: Fri, Mon, Tue, Wed (EST)'],
    [
      '2026-10-30T14:00:00Z',
      '2026-11-05T22:30:00Z',
      'across the end of US daylight time (Nov 1): 17:30 EST is 22:30 UTC',
    ],
    ['2021-12-23T15:00:00Z', '2021-12-30T22:30:00Z', 'Christmas on a Saturday is observed Friday Dec 24'],
    ['2021-12-29T15:00:00Z', '2022-01-05T22:30:00Z', "New Year's Day 2022 (Saturday) is observed Friday Dec 31, 2021"],
    ['2026-05-04T13:00:00Z', '2026-05-08T21:30:00Z', 'a plain Monday: Tue, Wed, Thu, Fri'],
  ])('determined %s → due %s (%s)', (determined, due) => {
    expect(clock('SEC_8K', [m('MATERIAL', determined)]).dueAt).toEqual(at(due));
  });

  it('knows observed federal holidays and weekends', () => {
    const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' });
    expect(isUsBusinessDay(ny('2026-07-03'))).toBe(false); // July 4th 2026 is a Saturday
    expect(isUsBusinessDay(ny('2026-06-19'))).toBe(false); // Juneteenth
    expect(isUsBusinessDay(ny('2026-06-20'))).toBe(false); // Saturday
    expect(isUsBusinessDay(ny('2026-06-22'))).toBe(true);
  });
});

describe('DORA', () => {
  it('initial: 4 h from classification when that is earlier than 24 h from awareness', () => {
    const c = clock('DORA_INITIAL', [
      m('AWARE', '2026-05-04T00:00:00Z'),
      m('CLASSIFIED_MAJOR', '2026-05-04T10:00:00Z'),
    ]);
    expect(c.dueAt).toEqual(at('2026-05-04T14:00:00Z'));
  });

  it('initial: 24 h from awareness when classification comes late', () => {
    const c = clock('DORA_INITIAL', [
      m('AWARE', '2026-05-04T00:00:00Z'),
      m('CLASSIFIED_MAJOR', '2026-05-04T22:00:00Z'),
    ]);
    expect(c.dueAt).toEqual(at('2026-05-05T00:00:00Z'));
  });

  it('initial: the 24 h bound runs before the incident is classified', () => {
    expect(clock('DORA_INITIAL', [m('AWARE', '2026-05-04T00:00:00Z')]).dueAt).toEqual(at('2026-05-05T00:00:00Z'));
  });

  it('filing the initial notification stops it and starts the intermediate (72 h)', () => {
    const milestones = [
      m('AWARE', '2026-05-04T00:00:00Z'),
      m('CLASSIFIED_MAJOR', '2026-05-04T10:00:00Z'),
      m('REPORT_FILED', '2026-05-04T13:00:00Z', 'DORA_INITIAL'),
    ];
    expect(clock('DORA_INITIAL', milestones, '2026-05-04T13:30:00Z')).toMatchObject({
      state: 'MET',
      filedAt: at('2026-05-04T13:00:00Z'),
      remainingMs: null,
    });
    expect(clock('DORA_INTERMEDIATE', milestones, '2026-05-04T13:30:00Z')).toMatchObject({
      state: 'RUNNING',
      dueAt: at('2026-05-07T13:00:00Z'),
    });
    expect(clock('DORA_FINAL', milestones)).toMatchObject({ state: 'NOT_STARTED' });
  });

  it('final: one calendar month after the latest intermediate report (clipped to month end)', () => {
    const milestones = [
      m('REPORT_FILED', '2026-01-02T09:00:00Z', 'DORA_INITIAL'),
      m('REPORT_FILED', '2026-01-04T09:00:00Z', 'DORA_INTERMEDIATE'),
      m('REPORT_FILED', '2026-01-31T12:00:00Z', 'DORA_INTERMEDIATE'),
    ];
    expect(clock('DORA_INTERMEDIATE', milestones)).toMatchObject({ state: 'MET', filedAt: at('2026-01-04T09:00:00Z') });
    expect(clock('DORA_FINAL', milestones, '2026-02-01T00:00:00Z')).toMatchObject({
      state: 'RUNNING',
      dueAt: at('2026-02-28T12:00:00Z'),
    });
  });
});

describe('clock states', () => {
  const aware = m('AWARE', '2026-05-04T09:00:00Z');
  it('running → overdue once the due time passes, with negative time left', () => {
    expect(clock('MAS_1H', [aware], '2026-05-04T09:20:00Z')).toMatchObject({
      state: 'RUNNING',
      remainingMs: 40 * 60_000,
    });
    expect(clock('MAS_1H', [aware], '2026-05-04T10:30:00Z')).toMatchObject({
      state: 'OVERDUE',
      remainingMs: -30 * 60_000,
    });
  });
  it('a filing by the due time is met; after it, late', () => {
    expect(
      clock('MAS_1H', [aware, m('REPORT_FILED', '2026-05-04T09:59:00Z', 'MAS_1H')], '2026-05-05T00:00:00Z').state,
    ).toBe('MET');
    expect(
      clock('MAS_1H', [aware, m('REPORT_FILED', '2026-05-04T10:01:00Z', 'MAS_1H')], '2026-05-05T00:00:00Z').state,
    ).toBe('LATE');
  });
  it('a filing for another clock does not stop this one', () => {
    expect(
      clock('MAS_1H', [aware, m('REPORT_FILED', '2026-05-04T09:10:00Z', 'GDPR_33')], '2026-05-04T09:30:00Z').state,
    ).toBe('RUNNING');
  });
  it('GDPR Art. 34 has no fixed deadline', () => {
    expect(clock('GDPR_34', [aware])).toMatchObject({ state: 'NO_FIXED_DEADLINE', dueAt: null });
  });
  it('only configured regimes produce clocks, and the nearest open deadline is found', () => {
    const clocks = computeClocks({
      milestones: [aware, m('DETERMINED', '2026-05-04T09:00:00Z')],
      regimes: ['GDPR', 'NYDFS'],
      now: at('2026-05-04T10:00:00Z'),
    });
    expect(clocks.map((c) => c.id)).toEqual(['GDPR_33', 'GDPR_34', 'NYDFS_72H', 'NYDFS_EXTORTION']);
    expect(nearestDeadline(clocks)?.id).toBe('GDPR_33');
    expect(parseRegimes('gdpr, sec')).toEqual(['GDPR', 'SEC']);
    expect(parseRegimes(undefined)).toEqual([...REGIMES]);
    expect(() => parseRegimes('GDPR,CCPA')).toThrow(/CCPA/);
  });
});
