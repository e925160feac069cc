// Signed checkpoints kept in the database too (AuditCheckpoint, append-only), so the worker can
// hold each run against the last ones and `firebreak audit checkpoint` can export them. The copies
// that matter against the database's owner are the ones kept elsewhere (lib/audit/checkpoint.ts).
import type { KeyObject } from 'node:crypto';
import { db } from '@/lib/db';
import { keyIdOf, CHECKPOINT_PURPOSE, type Checkpoint } from './checkpoint';

/** How many of the newest checkpoints each verification also checks against. */
const RECENT = 100;

/** The newest checkpoints made with this key, newest first. */
export async function latestCheckpoints(key: KeyObject, take = RECENT): Promise<Checkpoint[]> {
  const rows = await db.auditCheckpoint.findMany({ where: { keyId: keyIdOf(key) }, orderBy: { seq: 'desc' }, take });
  return rows.map((row) => ({ purpose: CHECKPOINT_PURPOSE, seq: row.seq.toString(), hash: row.hash, at: row.at.toISOString(), keyId: row.keyId, signature: row.signature }));
}

/** Idempotent: a second checkpoint of the same event (another worker, the CLI) is dropped. */
export async function storeCheckpoint(checkpoint: Checkpoint) {
  await db.auditCheckpoint.createMany({
    data: [{ seq: BigInt(checkpoint.seq), hash: checkpoint.hash, at: new Date(checkpoint.at), keyId: checkpoint.keyId, signature: checkpoint.signature }],
    skipDuplicates: true,
  });
}
