// Signed checkpoints kept in the database too (AuditCheckpoint, append-only), so the worker can
// hold each run against the last ones and `firebreak audit checkpoint` can export them. The copies
// that matter against the database's owner are the ones kept elsewhere (lib/audit/checkpoint.ts).
import type { KeyObject } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { db } from '@/lib/db';
import { CHECKPOINT_PURPOSE, type Checkpoint, checkpointSchema, checkpointSignedBy, keyIdOf } from './checkpoint';

/** How many of the newest checkpoints each verification also checks against. */
const RECENT = 100;

/** Checkpoints that verify with the key, and how many present themselves as such but do not. */
export type Anchors = { valid: Checkpoint[]; bad: number };

/**
 * The newest checkpoint rows naming this key, newest first. The app's role can INSERT into the
 * table, so a row proves nothing until its signature does: the others are counted as bad.
 */
export async function storedCheckpoints(key: KeyObject, take = RECENT): Promise<Anchors> {
  const rows = await db.auditCheckpoint.findMany({ where: { keyId: keyIdOf(key) }, orderBy: { seq: 'desc' }, take });
  const all: Checkpoint[] = rows.map((row) => ({
    purpose: CHECKPOINT_PURPOSE,
    seq: row.seq.toString(),
    hash: row.hash,
    at: row.at.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  }));
  const valid = all.filter((checkpoint) => checkpointSignedBy(checkpoint, key));
  return { valid, bad: all.length - valid.length };
}

/** The last checkpoints of the worker's own file (outside the database); a line that is not one is bad. */
export function fileCheckpoints(file: string, key: KeyObject, tailBytes = 64 * 1024): Anchors {
  if (!existsSync(file)) return { valid: [], bad: 0 };
  const size = statSync(file).size;
  const length = Math.min(size, tailBytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer
    .toString('utf8')
    .split('\n')
    .slice(size > length ? 1 : 0)
    .filter((line) => line.trim()); // a cut first line is skipped
  const valid = lines.flatMap((line) => {
    try {
      const parsed = checkpointSchema.safeParse(JSON.parse(line));
      return parsed.success && checkpointSignedBy(parsed.data, key) ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
  return { valid, bad: lines.length - valid.length };
}
/** Idempotent: a second checkpoint of the same event (another worker, the CLI) is dropped. */
export async function storeCheckpoint(checkpoint: Checkpoint) {
  await db.auditCheckpoint.createMany({
    data: [
      {
        seq: BigInt(checkpoint.seq),
        hash: checkpoint.hash,
        at: new Date(checkpoint.at),
        keyId: checkpoint.keyId,
        signature: checkpoint.signature,
      },
    ],
    skipDuplicates: true,
  });
}
