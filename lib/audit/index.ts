// The audit log: every state change writes one event in the same transaction as the change
// (DESIGN invariant 6). Appends are serialised by locking the AuditHead row, which makes `seq`
// gapless and lets the verifier detect an edited, deleted or truncated row.
import 'server-only';
import type { Actor } from '@/lib/auth/actor';
import { db, type Prisma, type Tx } from '@/lib/db';
import { GENESIS_HASH, hashEvent } from './chain';

export type AuditInput = {
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
};

/** Appends one event. Call it inside the transaction of the change it records. */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput) {
  const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM "AuditHead" WHERE id = 1 FOR UPDATE`;
  const prev = head ?? { seq: 0n, hash: GENESIS_HASH };
  const event = {
    seq: prev.seq + 1n,
    at: new Date(),
    actorType: actor.kind,
    actorId: actor.kind === 'staff' ? actor.id : null,
    actorLabel: actor.kind === 'staff' ? actor.email : actor.label,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    // Round-trip through JSON so the hash covers exactly what JSONB will give back.
    data: JSON.parse(JSON.stringify(input.data ?? {})) as Prisma.InputJsonValue,
  };
  const hash = hashEvent(prev.hash, event);
  await tx.auditEvent.create({ data: { ...event, prevHash: prev.hash, hash } });
  await tx.$executeRaw`
    INSERT INTO "AuditHead" (id, seq, hash) VALUES (1, ${event.seq}, ${hash})
    ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`;
  return { seq: event.seq, hash };
}

/** Runs `change` and its audit event in one transaction. */
export async function withAudit<T>(actor: Actor, input: AuditInput | ((result: T) => AuditInput), change: (tx: Tx) => Promise<T>) {
  return db.$transaction(async (tx) => {
    const result = await change(tx);
    await recordAudit(tx, actor, typeof input === 'function' ? input(result) : input);
    return result;
  });
}
