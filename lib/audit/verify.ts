// Walks the whole audit chain in seq order and reports the first row that does not verify, and
// holds it against signed checkpoints kept outside the database (lib/audit/checkpoint.ts), which
// catch what the chain alone cannot: a rewrite that recomputed every later hash and the head.
// Uses pg directly (not Prisma) so that the CLI and worker can stream large logs in pages.
import type { KeyObject } from 'node:crypto';
import { createPgClient } from '@/lib/db/pg';
import { GENESIS_HASH, hashEvent, type StoredEvent } from './chain';
import { type Checkpoint, checkpointSignedBy } from './checkpoint';

export type VerifyResult =
  | { ok: true; checked: number; headSeq: string; headHash: string }
  | { ok: false; checked: number; seq: string; problem: string };

const PAGE = 5000;

export type CheckpointOptions = {
  checkpoints: Checkpoint[];
  /** The trusted keys (more than one across a key rotation): a checkpoint signed by none is refused, never used. */
  publicKeys: KeyObject[];
};

export async function verifyAuditChain(databaseUrl: string, anchors?: CheckpointOptions): Promise<VerifyResult> {
  const expected = new Map<string, Checkpoint>();
  for (const checkpoint of anchors?.checkpoints ?? []) {
    if (!anchors!.publicKeys.some((key) => checkpointSignedBy(checkpoint, key))) {
      return {
        ok: false,
        checked: 0,
        seq: checkpoint.seq,
        problem: `the checkpoint of event ${checkpoint.seq} (key ${checkpoint.keyId}) is not signed by a trusted key: it is forged or from another key`,
      };
    }
    const other = expected.get(checkpoint.seq);
    if (other && other.hash !== checkpoint.hash) {
      return {
        ok: false,
        checked: 0,
        seq: checkpoint.seq,
        problem: `two validly signed checkpoints of event ${checkpoint.seq} disagree: the log was rewritten between them`,
      };
    }
    expected.set(checkpoint.seq, checkpoint);
  }
  const client = createPgClient('audit verification', { connectionString: databaseUrl });
  await client.connect();
  try {
    // One snapshot for the whole walk, so appends made meanwhile cannot look like tampering.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let expectedSeq = 1n;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    while (true) {
      const { rows } = await client.query<StoredEvent>(
        `SELECT seq::text, at, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "prevHash", hash
           FROM "AuditEvent" e WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`,
        [expectedSeq.toString(), PAGE],
      );
      for (const row of rows) {
        const seq = BigInt(row.seq);
        if (seq !== expectedSeq) {
          return {
            ok: false,
            checked,
            seq: expectedSeq.toString(),
            problem: `event ${expectedSeq} is missing (deleted); the next event is ${row.seq}`,
          };
        }
        if (row.prevHash !== prevHash) {
          return {
            ok: false,
            checked,
            seq: row.seq,
            problem: `event ${row.seq} does not link to the event before it (prevHash altered, or the previous event was replaced)`,
          };
        }
        if (hashEvent(prevHash, { ...row, seq }) !== row.hash) {
          return {
            ok: false,
            checked,
            seq: row.seq,
            problem: `event ${row.seq} was edited: its content does not match its hash`,
          };
        }
        const anchor = expected.get(row.seq);
        if (anchor && anchor.hash !== row.hash) {
          return {
            ok: false,
            checked,
            seq: row.seq,
            problem: `event ${row.seq} differs from its signed checkpoint of ${anchor.at}: the log up to it was rewritten and its hashes recomputed`,
          };
        }
        prevHash = row.hash;
        expectedSeq = seq + 1n;
        checked++;
      }
      if (rows.length < PAGE) break;
    }
    const head = await client.query<{ seq: string; hash: string }>(
      'SELECT seq::text, hash FROM "AuditHead" WHERE id = 1',
    );
    const headSeq = head.rows[0]?.seq ?? '0';
    const lastSeq = (expectedSeq - 1n).toString();
    const beyond = [...expected.values()].find((anchor) => BigInt(anchor.seq) >= expectedSeq);
    if (beyond) {
      return {
        ok: false,
        checked,
        seq: beyond.seq,
        problem: `a signed checkpoint of ${beyond.at} records event ${beyond.seq}, but the log ends at event ${lastSeq}: events were deleted and the head rewound`,
      };
    }
    if (headSeq !== lastSeq || (head.rows[0] && head.rows[0].hash !== prevHash)) {
      return {
        ok: false,
        checked,
        seq: headSeq,
        problem: `the chain ends at event ${lastSeq} but the head records event ${headSeq}: events at the end were deleted`,
      };
    }
    return { ok: true, checked, headSeq, headHash: prevHash };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.end();
  }
}
