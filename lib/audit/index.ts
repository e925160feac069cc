// The audit log: every state change writes one event in the same transaction as the change
// (DESIGN invariant 6). Appends are serialised by an advisory lock, which makes `seq` gapless and
// lets the verifier detect an edited, deleted or truncated row. The database checks each append
// itself (trigger firebreak_audit_append, owned by the schema owner): the event must extend the
// chain (seq = head + 1, prevHash = head hash) and carry the time of the append; the trigger, not
// the app, moves AuditHead, which the app's role can only read (lib/db/roles.ts).
import 'server-only';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import type { Tx } from '@/lib/db';
import { prismaQueryable, type Queryable } from '@/lib/db/queryable';
import type { AuditAction } from './actions';
import { type ChainedContent, GENESIS_HASH, hashEvent } from './chain';

export type { AuditAction } from './actions';

export type AuditInput = {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
};

/** Serialises appends for the rest of the transaction ("AUDT"). */
const AUDIT_LOCK = 0x41554454;

/** Appends one event. Call it inside the transaction of the change it records. */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput) {
  return recordAuditPg(prismaQueryable(tx), actor, input);
}

/** The next event of the chain after `prev`, and its hash. Shared by the Prisma and pg writers. */
export function nextEvent(
  prev: { seq: bigint; hash: string },
  actor: Actor,
  input: AuditInput,
): { event: ChainedContent; hash: string } {
  const event: ChainedContent = {
    seq: prev.seq + 1n,
    at: new Date(),
    actorType: actor.kind,
    actorId: actorStaffId(actor),
    actorLabel: actorLabel(actor),
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    // Round-trip through JSON so the hash covers exactly what JSONB will give back. How a staff
    // action arrived (a session, or which API token) is part of the hashed content.
    data: JSON.parse(JSON.stringify({ ...input.data, ...arrival(actor) })),
  };
  return { event, hash: hashEvent(prev.hash, event) };
}

/** `via`: `session`, or `token` with its id, for staff actors; nothing for the system (its label says it). */
function arrival(actor: Actor) {
  if (actor.kind !== 'staff') return {};
  return { via: actor.via === 'token' ? { kind: 'token', tokenId: actor.tokenId ?? null } : { kind: 'session' } };
}

/**
 * The append itself, on any connection in the caller's transaction: a plain pg client (bulk
 * imports, the reset fan-out) or, through recordAudit, a Prisma transaction.
 */
export async function recordAuditPg(client: Queryable, actor: Actor, input: AuditInput) {
  await client.query(`SELECT 1 FROM pg_advisory_xact_lock(${AUDIT_LOCK}, 0)`);
  const { rows } = await client.query('SELECT seq::text AS seq, hash FROM "AuditHead" WHERE id = 1');
  const head = rows[0] as { seq: string; hash: string } | undefined;
  const prev = head ? { seq: BigInt(head.seq), hash: head.hash } : { seq: 0n, hash: GENESIS_HASH };
  const { event, hash } = nextEvent(prev, actor, input);
  await client.query(
    `INSERT INTO "AuditEvent" (seq, at, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "prevHash", hash)
     VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
    [
      event.seq.toString(),
      event.at,
      event.actorType,
      event.actorId,
      event.actorLabel,
      event.action,
      event.targetType,
      event.targetId,
      JSON.stringify(event.data),
      prev.hash,
      hash,
    ],
  );
  return { seq: event.seq, hash };
}
