// Incidents: declare, update (status, severity, summary, commander, materiality), notes and
// milestones. Each operation checks the role, changes state, and writes its timeline entry and
// audit event in one transaction. Status moves forward freely; moving back needs a reason.
import 'server-only';
import { type Actor, actorName, actorStaffId } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { computeClocks, MILESTONE_LABELS, type Milestone, nearestDeadline } from '@/lib/clocks';
import { config } from '@/lib/config';
import { db, type Tx } from '@/lib/db';
import { prismaQueryable } from '@/lib/db/queryable';
import { Conflict, Invalid, NotFound } from '@/lib/errors';
import { utcMinute } from '@/lib/time';
import { parseInput } from '@/lib/validation';
import { emitWebhook } from '@/lib/webhooks/emit';
import {
  byIdOrReference,
  type DeclareIncidentInput,
  declareIncidentInput,
  type MilestoneInput,
  milestoneInput,
  noteInput,
  STATUSES,
  type UpdateIncidentInput,
  updateIncidentInput,
} from './schema';
import { recordIncidentAction } from './timeline';

const REFERENCE_LOCK = 0x46_42_49_4e; // "FBIN": serialises reference numbering per database

const formatReference = (year: number, number: number) => `INC-${year}-${String(number).padStart(4, '0')}`;

export async function declareIncident(actor: Actor, raw: DeclareIncidentInput) {
  assertCan(actor, 'incident.declare');
  const input = parseInput(declareIncidentInput, raw);
  const declaredById = actorStaffId(actor);
  if (!declaredById) throw new Invalid('Incidents are declared by a staff member.');
  return db.$transaction(async (tx) => {
    const now = new Date();
    const detectedAt = input.detectedAt ?? now;
    const year = now.getUTCFullYear();
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${REFERENCE_LOCK}::int, ${year}::int)`;
    const { _max } = await tx.incident.aggregate({ where: { year }, _max: { number: true } });
    const number = (_max.number ?? 0) + 1;
    const incident = await tx.incident.create({
      data: {
        reference: formatReference(year, number),
        year,
        number,
        title: input.title,
        kind: input.kind,
        severity: input.severity,
        summary: input.summary,
        detectedAt,
        declaredAt: now,
        declaredById,
        commanderId: declaredById,
      },
    });
    await recordIncidentAction(tx, actor, incident, {
      action: 'incident.declared',
      message: `${actorName(actor)} declared ${incident.reference} (${incident.severity}, ${incident.kind}): ${incident.title}`,
      data: { title: incident.title, kind: incident.kind, severity: incident.severity, detectedAt },
    });
    await emitWebhook(prismaQueryable(tx), {
      type: 'incident.declared',
      key: `incident.declared:${incident.id}`,
      data: {
        incident: incident.reference,
        title: incident.title,
        kind: incident.kind,
        severity: incident.severity,
        detectedAt: incident.detectedAt,
        declaredAt: incident.declaredAt,
      },
    });
    // Detection is when the organisation became aware: the clocks that run from awareness start.
    await addMilestone(tx, actor, incident, {
      kind: 'AWARE',
      occurredAt: detectedAt,
      note: 'Detected (from the declaration)',
    });
    return incident;
  });
}

export async function updateIncident(actor: Actor, idOrReference: string, raw: UpdateIncidentInput) {
  assertCan(actor, 'incident.update');
  const input = parseInput(updateIncidentInput, raw);
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, idOrReference);
    const data: {
      status?: (typeof STATUSES)[number];
      severity?: typeof incident.severity;
      summary?: string;
      commanderId?: string;
      closedAt?: Date | null;
    } = {};
    const reason = input.reason ? ` — ${input.reason}` : '';

    if (input.status && input.status !== incident.status) {
      const back = STATUSES.indexOf(input.status) < STATUSES.indexOf(incident.status);
      if (back && (!input.reason || input.reason.length < 5)) {
        throw new Invalid(
          `Moving ${incident.reference} back from ${incident.status} to ${input.status} needs a reason.`,
          { fields: { reason: 'Say why the incident is being moved back.' } },
          'reason_required',
        );
      }
      data.status = input.status;
      data.closedAt = input.status === 'CLOSED' ? new Date() : null;
      await recordIncidentAction(tx, actor, incident, {
        action: back ? 'incident.reopened' : 'incident.status_changed',
        message: `Status ${incident.status} → ${input.status}${reason}`,
        data: { from: incident.status, to: input.status, reason: input.reason },
      });
    }
    if (input.severity && input.severity !== incident.severity) {
      data.severity = input.severity;
      await recordIncidentAction(tx, actor, incident, {
        action: 'incident.severity_changed',
        message: `Severity ${incident.severity} → ${input.severity}${reason}`,
        data: { from: incident.severity, to: input.severity, reason: input.reason },
      });
    }
    if (input.summary !== undefined && input.summary !== incident.summary) {
      data.summary = input.summary;
      await recordIncidentAction(tx, actor, incident, {
        action: 'incident.summary_changed',
        message: 'Summary updated',
        data: { summary: input.summary },
      });
    }
    if (input.commanderEmail) {
      const commander = await tx.staffUser.findUnique({ where: { email: input.commanderEmail } });
      if (!commander || commander.disabledAt)
        throw new Invalid(`No active staff account for ${input.commanderEmail}.`, {
          fields: { commanderEmail: 'Unknown staff member.' },
        });
      if (commander.id !== incident.commanderId) {
        data.commanderId = commander.id;
        await recordIncidentAction(tx, actor, incident, {
          action: 'incident.commander_changed',
          message: `Commander is now ${commander.name}`,
          data: { commander: commander.email },
        });
      }
    }
    if (input.materialAt) {
      await addMilestone(tx, actor, incident, { kind: 'MATERIAL', occurredAt: input.materialAt, note: input.reason });
    }
    if (Object.keys(data).length === 0 && !input.materialAt) {
      throw new Conflict(`Nothing changed: ${incident.reference} already has those values.`, 'no_change');
    }
    return tx.incident.update({ where: { id: incident.id }, data });
  });
}

export async function addNote(actor: Actor, idOrReference: string, raw: { message: string }) {
  assertCan(actor, 'incident.note');
  const { message } = parseInput(noteInput, raw);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentIn(tx, idOrReference);
    await recordIncidentAction(tx, actor, incident, { kind: 'NOTE', action: 'incident.note_added', message });
    return { incident: incident.reference };
  });
}

export async function recordMilestone(actor: Actor, idOrReference: string, raw: MilestoneInput) {
  assertCan(actor, 'incident.update');
  const input = parseInput(milestoneInput, raw);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentIn(tx, idOrReference);
    return addMilestone(tx, actor, incident, input);
  });
}

async function addMilestone(
  tx: Tx,
  actor: Actor,
  incident: { id: string; reference: string },
  input: { kind: Milestone['kind']; occurredAt?: Date; report?: string; note?: string },
) {
  const occurredAt = input.occurredAt ?? new Date();
  const milestone = await tx.incidentMilestone.create({
    data: {
      incidentId: incident.id,
      kind: input.kind,
      report: input.report ?? null,
      occurredAt,
      note: input.note || null,
      recordedById: actorStaffId(actor),
      recordedBy: actorName(actor),
    },
  });
  const what = input.kind === 'REPORT_FILED' ? `Report filed: ${input.report}` : MILESTONE_LABELS[input.kind];
  await recordIncidentAction(tx, actor, incident, {
    action: 'incident.milestone_recorded',
    message: `${what} at ${utcMinute(occurredAt)}${input.note ? ` — ${input.note}` : ''}`,
    data: { milestoneId: milestone.id, kind: input.kind, report: input.report, occurredAt },
  });
  return milestone;
}

/** The incident by uuid or reference (INC-2026-0001), inside a transaction; NotFound otherwise. */
export async function findIncidentIn(tx: Tx, idOrReference: string) {
  const where = byIdOrReference(idOrReference);
  const incident = where && (await tx.incident.findUnique({ where }));
  if (!incident) throw new NotFound(`No incident ${idOrReference}.`);
  return incident;
}

/** Reads the incident with a row lock, so concurrent updates apply one after the other. */
async function lockIncident(tx: Tx, idOrReference: string) {
  const incident = await findIncidentIn(tx, idOrReference);
  await tx.$executeRaw`SELECT 1 FROM "Incident" WHERE id = ${incident.id}::uuid FOR UPDATE`;
  return tx.incident.findUniqueOrThrow({ where: { id: incident.id } });
}

const people = {
  declaredBy: { select: { name: true, email: true } },
  commander: { select: { name: true, email: true } },
} as const;

export async function getIncident(actor: Actor, idOrReference: string, now = new Date()) {
  assertCan(actor, 'console.read');
  const where = byIdOrReference(idOrReference);
  const incident =
    where &&
    (await db.incident.findUnique({
      where,
      include: { ...people, milestones: { orderBy: { occurredAt: 'asc' } }, timeline: { orderBy: { at: 'desc' } } },
    }));
  if (!incident) throw new NotFound(`No incident ${idOrReference}.`);
  const clocks = computeClocks({ milestones: incident.milestones, regimes: config().FIREBREAK_REGIMES, now });
  return { ...incident, clocks };
}

export async function listIncidents(actor: Actor, options: { open?: boolean } = {}, now = new Date()) {
  assertCan(actor, 'console.read');
  const incidents = await db.incident.findMany({
    where: options.open ? { status: { not: 'CLOSED' } } : {},
    include: { ...people, milestones: true },
    orderBy: [{ declaredAt: 'desc' }],
  });
  const regimes = config().FIREBREAK_REGIMES;
  return incidents.map(({ milestones, ...incident }) => {
    const clocks = computeClocks({ milestones, regimes, now });
    return {
      ...incident,
      nearestDeadline: nearestDeadline(clocks),
      overdue: clocks.filter((c) => c.state === 'OVERDUE').length,
    };
  });
}
