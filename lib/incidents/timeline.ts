// Every action on an incident lands on its timeline and in the audit log, in the caller's
// transaction: one call, so no entry point can do one without the other.
import 'server-only';
import { type AuditAction, recordAudit } from '@/lib/audit';
import { type Actor, actorName, actorStaffId } from '@/lib/auth/actor';
import type { Tx } from '@/lib/db';

export async function recordIncidentAction(
  tx: Tx,
  actor: Actor,
  incident: { id: string; reference: string },
  entry: { action: AuditAction; message: string; data?: Record<string, unknown>; kind?: 'EVENT' | 'NOTE' },
) {
  const data = JSON.parse(JSON.stringify(entry.data ?? {}));
  await tx.timelineEntry.create({
    data: {
      incidentId: incident.id,
      kind: entry.kind ?? 'EVENT',
      action: entry.action,
      message: entry.message,
      actorId: actorStaffId(actor),
      actorLabel: actorName(actor),
      data,
    },
  });
  await recordAudit(tx, actor, {
    action: entry.action,
    targetType: 'Incident',
    targetId: incident.id,
    data: { reference: incident.reference, ...data },
  });
}
