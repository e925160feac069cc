import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { verifyAuditChain } from '@/lib/audit/verify';
import { systemActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { sql } from '../../test/sql';

const actor = systemActor('test');
const url = () => process.env.DATABASE_URL!;

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db.$transaction((tx) =>
      recordAudit(tx, actor, {
        action: 'incident.note_added',
        targetType: 'Thing',
        targetId: String(i),
        data: { i, note: `event ${i}`, nested: { z: 1, a: [1, 'two'] } },
      }),
    );
  }
}

/** Tampering as a database owner would: bypass the append-only triggers, then change rows. */
async function tamper(statement: string) {
  await sql(`BEGIN; SET LOCAL session_replication_role = replica; ${statement}; COMMIT;`);
}

// Every test starts from an empty log, so none depends on what an earlier one appended.
beforeEach(async () => {
  await sql('TRUNCATE "AuditHead"');
  await tamper('TRUNCATE "AuditEvent"');
});

const runCli = (...args: string[]) =>
  promisify(execFile)(process.execPath, [join(process.cwd(), 'bin/firebreak.mjs'), ...args], {
    env: { ...process.env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('audit chain', () => {
  it('verifies an untouched chain, including concurrent appends (seq stays gapless)', async () => {
    await append(5);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.$transaction((tx) => recordAudit(tx, actor, { action: 'incident.note_added', data: { i } })),
      ),
    );
    const result = await verifyAuditChain(url());
    expect(result).toEqual({ ok: true, checked: 25, headSeq: '25', headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const seqs = (await sql<{ n: number }>('SELECT seq::int AS n FROM "AuditEvent" e ORDER BY e.seq')).map((r) => r.n);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('an event rolled back with its change leaves no trace and no gap', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, actor, { action: 'incident.note_added', data: { test: 'rolled back' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await append(1);
    expect((await verifyAuditChain(url())).ok).toBe(true);
    expect(await sql(`SELECT 1 FROM "AuditEvent" WHERE data->>'test' = $1`, ['rolled back'])).toHaveLength(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE from ordinary SQL', async () => {
    await append(1); // row triggers need a row to fire on
    await expect(sql(`UPDATE "AuditEvent" SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(sql(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it('an edited row makes `firebreak audit verify` fail and name it', async () => {
    await append(5);
    const before = await verifyAuditChain(url());
    expect(before.ok).toBe(true);
    await tamper(`UPDATE "AuditEvent" SET data = jsonb_set(data, '{i}', '99') WHERE seq = 3`);
    expect(await verifyAuditChain(url())).toMatchObject({
      ok: false,
      seq: '3',
      problem: expect.stringContaining('edited'),
    });
    const cli = await runCli('audit', 'verify');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('BROKEN at event 3');
  });
});

describe('audit chain tampering by deletion', () => {
  it('a deleted row in the middle is named', async () => {
    await append(6);
    await tamper('DELETE FROM "AuditEvent" WHERE seq = 4');
    expect(await verifyAuditChain(url())).toMatchObject({
      ok: false,
      seq: '4',
      problem: expect.stringContaining('missing'),
    });
    const cli = await runCli('audit', 'verify');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('BROKEN at event 4');
  });

  it('deleting the newest events is detected through the head', async () => {
    await append(6);
    await tamper('DELETE FROM "AuditEvent" WHERE seq >= 5');
    expect(await verifyAuditChain(url())).toMatchObject({ ok: false, problem: expect.stringContaining('deleted') });
  });

  it('a row whose stored hash was replaced is named', async () => {
    await append(4);
    await tamper(`UPDATE "AuditEvent" SET hash = repeat('a', 64) WHERE seq = 2`);
    expect(await verifyAuditChain(url())).toMatchObject({ ok: false, seq: '2' });
  });
});

describe('CSV export', () => {
  it('neutralises spreadsheet formulas and keeps every other cell intact', async () => {
    const { parse } = await import('csv-parse/sync');
    const { listAuditEvents, toCsvLine } = await import('@/lib/audit/query');
    await db.$transaction((tx) =>
      recordAudit(tx, systemActor('=HYPERLINK("http://evil.example","click")'), {
        action: 'incident.declared',
        targetType: 'Incident',
        targetId: '+1-555',
        data: { title: 'a, "quoted"\nline' },
      }),
    );
    const [row] = await listAuditEvents(actor, { limit: 1 });
    const [header, cells] = parse(toCsvLine(null) + toCsvLine(row)) as string[][];
    const cell = (name: string) => cells[header.indexOf(name)];
    expect(cell('actorLabel')).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(cell('targetId')).toBe(`'+1-555`);
    expect(JSON.parse(cell('data'))).toEqual({ title: 'a, "quoted"\nline' });
    expect(cell('hash')).toBe(row.hash);
  });
});
