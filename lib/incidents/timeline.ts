// Every action on an incident lands on its timeline and in the audit log, in the caller's
// transaction: one call, so no entry point can do one without the other.
import 'server-only';
import { type AuditAction, recordAudit } from '@/lib/audit';
import { type Actor, actorName, actorStaffId } from '@/lib/auth/actor';
import type { Tx } from '@/lib/db';
import { prismaQueryable, type Queryable } from '@/lib/db/queryable';

export async function recordIncidentAction(
  tx: Tx,
  actor: Actor,
  incident: { id: string; reference: string },
  entry: { action: AuditAction; message: string; data?: Record<string, unknown>; kind?: 'EVENT' | 'NOTE' },
) {
  const data = JSON.parse(JSON.stringify(entry.data ?? {}));
  await appendTimeline(prismaQueryable(tx), actor, incident.id, { ...entry, data });
  await recordAudit(tx, actor, {
    action: entry.action,
    targetType: 'Incident',
    targetId: incident.id,
    data: { reference: incident.reference, ...data },
  });
}

/**
 * The timeline's one writer, in the caller's transaction: a Prisma one (through
 * recordIncidentAction, with its audit event) or a worker's pg client, whose audit event the
 * caller records (the fan-out's completion, a notice's mailing).
 */
export async function appendTimeline(
  client: Queryable,
  actor: Actor,
  incidentId: string,
  entry: { action: AuditAction; message: string; data?: Record<string, unknown>; kind?: 'EVENT' | 'NOTE' },
) {
  await client.query(
    `WITH inserted AS (
       INSERT INTO "TimelineEntry" (id, "incidentId", kind, action, message, "actorId", "actorLabel", data)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5::uuid, $6, $7::jsonb) RETURNING 1)
     SELECT 1 FROM inserted`,
    [
      incidentId,
      entry.kind ?? 'EVENT',
      entry.action,
      entry.message,
      actorStaffId(actor),
      actorName(actor),
      JSON.stringify(entry.data ?? {}),
    ],
  );
}
