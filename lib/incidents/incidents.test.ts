import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { Conflict, Forbidden, Invalid, NotFound } from '@/lib/errors';
import { addNote, declareIncident, getIncident, listIncidents, recordMilestone, updateIncident } from '@/lib/incidents';
import { staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';

const breach = {
  title: 'Bulk mail leaked addresses',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'Addresses visible in To:',
} as const;
const counts = async () => ({
  incidents: await db.incident.count(),
  timeline: await db.timelineEntry.count(),
  audit: await db.auditEvent.count(),
});

describe('declaring an incident', () => {
  it('SECURITY declares: reference INC-<year>-<seq>, commander is the declarer, AWARE at detection, timeline and audit written', async () => {
    const security = await staffActor('SECURITY');
    const detectedAt = new Date(Date.now() - 3_600_000);
    const first = await declareIncident(security, { ...breach, detectedAt: detectedAt.toISOString() });
    const second = await declareIncident(security, {
      ...breach,
      title: 'Hijacked social account',
      kind: 'SOCIAL_ACCOUNT_COMPROMISE',
    });
    const year = new Date().getUTCFullYear();
    // Consecutive numbers of this year, zero-padded (other tests in this file may have declared before).
    expect(second.number).toBe(first.number + 1);
    expect([first.reference, second.reference]).toEqual(
      [first.number, second.number].map((n) => `INC-${year}-${String(n).padStart(4, '0')}`),
    );
    expect(first).toMatchObject({
      status: 'DECLARED',
      commanderId: security.id,
      declaredById: security.id,
      detectedAt,
    });

    const full = await getIncident(security, first.reference);
    expect(full.milestones).toMatchObject([{ kind: 'AWARE', occurredAt: detectedAt }]);
    expect(full.timeline.map((t) => t.action).sort()).toEqual(['incident.declared', 'incident.milestone_recorded']);
    expect(full.clocks.find((c) => c.id === 'GDPR_33')).toMatchObject({
      state: 'RUNNING',
      dueAt: new Date(detectedAt.getTime() + 72 * 3_600_000),
    });
    const audit = await db.auditEvent.findMany({ where: { targetId: first.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(['incident.declared', 'incident.milestone_recorded']);
  });

  it('concurrent declarations get distinct, consecutive references', async () => {
    const security = await staffActor('SECURITY');
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) => declareIncident(security, { ...breach, title: `Parallel ${i}` })),
    );
    const numbers = made.map((i) => i.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(8);
    expect(numbers.at(-1)! - numbers[0]).toBe(7);
  });

  it.each(['COMMS', 'EXECUTIVE'] as const)('%s cannot declare, and nothing is written', async (role) => {
    const actor = await staffActor(role);
    const before = await counts();
    await expect(declareIncident(actor, breach)).rejects.toThrow(Forbidden);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a missing title', { ...breach, title: undefined }, 'title'],
    ['an unknown severity', { ...breach, severity: 'SEV0' }, 'severity'],
    ['an unknown kind', { ...breach, kind: 'OOPS' }, 'kind'],
    [
      'detectedAt in the future',
      { ...breach, detectedAt: new Date(Date.now() + 3_600_000).toISOString() },
      'detectedAt',
    ],
    ['detectedAt without a UTC offset', { ...breach, detectedAt: '2026-11-24T09:30' }, 'detectedAt'],
  ])('refuses %s and writes nothing', async (_what, input, field) => {
    const security = await staffActor('SECURITY');
    const before = await counts();
    await expect(declareIncident(security, input as never)).rejects.toSatisfy(
      (error) => error instanceof Invalid && field in (error.details as { fields: object }).fields,
    );
    expect(await counts()).toEqual(before);
  });
});

describe('updating an incident', () => {
  it('moves status forward; moving back needs a reason; each change is on the timeline', async () => {
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, breach);
    await updateIncident(security, incident.id, { status: 'CONTAINED', severity: 'SEV2' });
    await updateIncident(security, incident.reference, { status: 'CLOSED' });
    await expect(updateIncident(security, incident.id, { status: 'CONTAINED' })).rejects.toMatchObject({
      code: 'reason_required',
    });
    const reopened = await updateIncident(security, incident.id, {
      status: 'CONTAINED',
      reason: 'Second batch of leaked mails found',
    });
    expect(reopened).toMatchObject({ status: 'CONTAINED', severity: 'SEV2', closedAt: null });
    const messages = (await getIncident(security, incident.id)).timeline.map((t) => t.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Status DECLARED → CONTAINED',
        'Severity SEV1 → SEV2',
        'Status CONTAINED → CLOSED',
        'Status CLOSED → CONTAINED — Second batch of leaked mails found',
      ]),
    );
  });

  it('refuses an empty or no-op change, unknown fields, and other roles', async () => {
    const security = await staffActor('SECURITY');
    const comms = await staffActor('COMMS');
    const incident = await declareIncident(security, breach);
    await expect(updateIncident(security, incident.id, {})).rejects.toThrow(Invalid);
    await expect(updateIncident(security, incident.id, { severity: 'SEV1' })).rejects.toThrow(Conflict);
    await expect(updateIncident(security, incident.id, { title: 'x' } as never)).rejects.toThrow(Invalid);
    await expect(updateIncident(comms, incident.id, { status: 'CONTAINED' })).rejects.toThrow(Forbidden);
    await expect(updateIncident(security, 'INC-1999-0001', { status: 'CONTAINED' })).rejects.toThrow(NotFound);
    expect((await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('DECLARED');
  });

  it('materialAt starts the SEC clock; a filed report stops it', async () => {
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, breach);
    const materialAt = new Date(Date.now() - 60_000);
    await updateIncident(security, incident.id, { materialAt: materialAt.toISOString() });
    expect((await getIncident(security, incident.id)).clocks.find((c) => c.id === 'SEC_8K')).toMatchObject({
      state: 'RUNNING',
      startAt: materialAt,
    });
    await recordMilestone(security, incident.id, { kind: 'REPORT_FILED', report: 'SEC_8K' });
    expect((await getIncident(security, incident.id)).clocks.find((c) => c.id === 'SEC_8K')?.state).toBe('MET');
    await expect(recordMilestone(security, incident.id, { kind: 'REPORT_FILED' })).rejects.toThrow(/names its clock/);
    await expect(recordMilestone(security, incident.id, { kind: 'REPORT_FILED', report: 'CCPA' })).rejects.toThrow(
      Invalid,
    );
  });
});

describe('notes and the timeline', () => {
  it('every role may add a note, with its author; the timeline is append-only', async () => {
    const security = await staffActor('SECURITY');
    const executive = await staffActor('EXECUTIVE');
    const incident = await declareIncident(security, breach);
    await addNote(executive, incident.reference, { message: 'Board informed.' });
    const note = (await getIncident(executive, incident.id)).timeline.find((t) => t.kind === 'NOTE');
    expect(note).toMatchObject({ message: 'Board informed.', actorLabel: executive.name, actorId: executive.id });
    await expect(addNote(executive, incident.id, { message: '   ' })).rejects.toThrow(Invalid);
    await expect(sql('UPDATE "TimelineEntry" SET message = $1', ['rewritten'])).rejects.toThrow(/append-only/);
    await expect(sql('DELETE FROM "TimelineEntry"')).rejects.toThrow(/append-only/);
  });

  it('the open list carries the nearest deadline and leaves closed incidents out', async () => {
    const security = await staffActor('SECURITY');
    const open = await declareIncident(security, { ...breach, title: 'Still open' });
    const closed = await declareIncident(security, { ...breach, title: 'Done' });
    await updateIncident(security, closed.id, { status: 'CLOSED' });
    const list = await listIncidents(security, { open: true });
    expect(list.map((i) => i.id)).toContain(open.id);
    expect(list.map((i) => i.id)).not.toContain(closed.id);
    expect(list.find((i) => i.id === open.id)?.nearestDeadline?.id).toBe('MAS_1H');
  });
});
