// Walks the whole audit chain in seq order and reports the first row that does not verify.
// Uses pg directly (not Prisma) so that the CLI and worker can stream large logs in pages.
import pg from 'pg';
import { GENESIS_HASH, hashEvent } from './chain';

export type VerifyResult =
  | { ok: true; checked: number; headSeq: string }
  | { ok: false; checked: number; seq: string; problem: string };

type Row = {
  seq: string; at: Date; actorType: string; actorId: string | null; actorLabel: string; action: string;
  targetType: string | null; targetId: string | null; data: unknown; prevHash: string; hash: string;
};

const PAGE = 5000;

export async function verifyAuditChain(databaseUrl: string): Promise<VerifyResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // One snapshot for the whole walk, so appends made meanwhile cannot look like tampering.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let expectedSeq = 1n;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    while (true) {
      const { rows } = await client.query<Row>(
        `SELECT seq::text, at, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "prevHash", hash
           FROM "AuditEvent" e WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`,
        [expectedSeq.toString(), PAGE],
      );
      for (const row of rows) {
        const seq = BigInt(row.seq);
        if (seq !== expectedSeq) {
          return { ok: false, checked, seq: expectedSeq.toString(), problem: `event ${expectedSeq} is missing (deleted); the next event is ${row.seq}` };
        }
        if (row.prevHash !== prevHash) {
          return { ok: false, checked, seq: row.seq, problem: `event ${row.seq} does not link to the event before it (prevHash altered, or the previous event was replaced)` };
        }
        if (hashEvent(prevHash, { ...row, seq }) !== row.hash) {
          return { ok: false, checked, seq: row.seq, problem: `event ${row.seq} was edited: its content does not match its hash` };
        }
        prevHash = row.hash;
        expectedSeq = seq + 1n;
        checked++;
      }
      if (rows.length < PAGE) break;
    }
    const head = await client.query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM "AuditHead" WHERE id = 1');
    const headSeq = head.rows[0]?.seq ?? '0';
    const lastSeq = (expectedSeq - 1n).toString();
    if (headSeq !== lastSeq || (head.rows[0] && head.rows[0].hash !== prevHash)) {
      return { ok: false, checked, seq: headSeq, problem: `the chain ends at event ${lastSeq} but the head records event ${headSeq}: events at the end were deleted` };
    }
    return { ok: true, checked, headSeq };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.end();
  }
}
