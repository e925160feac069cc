// The attack the hash chain alone cannot see: the database's owner edits an event and recomputes
// every later hash and the head (or deletes the newest events and rewinds the head). A checkpoint
// signed with a key the database does not hold, kept outside it, must expose both.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { GENESIS_HASH, hashEvent, type StoredEvent } from '@/lib/audit/chain';
import { type Checkpoint, checkpointSignedBy, parseCheckpoints, signCheckpoint } from '@/lib/audit/checkpoint';
import { generateSigningKey, loadSigningKey, loadVerifyKey } from '@/lib/audit/keys';
import { verifyAuditChain } from '@/lib/audit/verify';
import { systemActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { sql } from '../../test/sql';

const dir = mkdtempSync(join(tmpdir(), 'fb-checkpoint-'));
const keyFile = join(dir, 'signing.pem');
generateSigningKey(keyFile);
const key = loadSigningKey(keyFile);
const publicKey = loadVerifyKey(`${keyFile}.pub`);
const checkpointFile = join(dir, 'checkpoints.jsonl');
// The worker's job reads these through config() on first use.
process.env.AUDIT_SIGNING_KEY_FILE = keyFile;
process.env.AUDIT_CHECKPOINT_FILE = checkpointFile;

const url = () => process.env.DATABASE_URL!;

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db.$transaction((tx) => recordAudit(tx, systemActor('test'), { action: 'incident.note_added', data: { i } }));
  }
}

async function head() {
  const [row] = await sql<{ seq: string; hash: string }>('SELECT seq::text, hash FROM "AuditHead" WHERE id = 1');
  return row;
}

/** As the owner (a superuser here): bypass the append-only triggers and run `statement`. */
async function asOwner(statement: string) {
  await sql(`BEGIN; SET LOCAL session_replication_role = replica; ${statement}; COMMIT;`);
}

/** The recompute attack: edit event `seq`'s data, then rehash it and every later event and the head. */
async function rewriteFrom(seq: number, data: unknown) {
  await asOwner(`UPDATE "AuditEvent" SET data = '${JSON.stringify(data)}'::jsonb WHERE seq = ${seq}`);
  const rows = await sql<Omit<StoredEvent, 'hash'>>(
    'SELECT seq::text, at, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "prevHash" FROM "AuditEvent" e ORDER BY e.seq',
  );
  let prev = GENESIS_HASH;
  const updates: string[] = [];
  for (const row of rows) {
    const hash = hashEvent(prev, { ...row, seq: BigInt(row.seq) });
    updates.push(`UPDATE "AuditEvent" SET "prevHash" = '${prev}', hash = '${hash}' WHERE seq = ${row.seq}`);
    prev = hash;
  }
  updates.push(`UPDATE "AuditHead" SET hash = '${prev}' WHERE id = 1`);
  // Hashes are unique: move them out of the way first.
  await asOwner(`UPDATE "AuditEvent" SET hash = 'old-' || hash; ${updates.join('; ')}`);
}

beforeEach(async () => {
  await sql('TRUNCATE "AuditHead"');
  await asOwner('TRUNCATE "AuditEvent", "AuditCheckpoint", "AuditVerification"');
  writeFileSync(checkpointFile, '');
});

describe('signed checkpoints', () => {
  it('sign (seq, hash, time) so that any change to them, or another key, fails the check', async () => {
    const checkpoint = signCheckpoint({ seq: 7n, hash: 'a'.repeat(64) }, key);
    expect(checkpointSignedBy(checkpoint, publicKey)).toBe(true);
    expect(checkpointSignedBy({ ...checkpoint, seq: '8' }, publicKey)).toBe(false);
    expect(checkpointSignedBy({ ...checkpoint, hash: 'b'.repeat(64) }, publicKey)).toBe(false);
    expect(checkpointSignedBy({ ...checkpoint, at: new Date(0).toISOString() }, publicKey)).toBe(false);
    const other = generateKeyPairSync('ed25519');
    expect(checkpointSignedBy(checkpoint, other.publicKey)).toBe(false);
    // A forger who copies our key id still cannot produce our signature.
    const forged = { ...signCheckpoint({ seq: 7n, hash: 'a'.repeat(64) }, other.privateKey), keyId: checkpoint.keyId };
    expect(checkpointSignedBy(forged, publicKey)).toBe(false);
  });

  it('parse from one JSON object, an array or JSON Lines, and name what is malformed', () => {
    const a = signCheckpoint({ seq: 1n, hash: 'a'.repeat(64) }, key);
    const b = signCheckpoint({ seq: 2n, hash: 'b'.repeat(64) }, key);
    expect(parseCheckpoints(JSON.stringify(a))).toEqual([a]);
    expect(parseCheckpoints(JSON.stringify([a, b]))).toEqual([a, b]);
    expect(parseCheckpoints(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n`)).toEqual([a, b]);
    expect(() => parseCheckpoints(`${JSON.stringify(a)}\n{oops`)).toThrow(/line 2/);
    expect(() => parseCheckpoints(JSON.stringify({ ...a, seq: '0' }))).toThrow(/checkpoint 1 is malformed/);
    expect(() => parseCheckpoints(JSON.stringify({ ...a, extra: 1 }))).toThrow(/malformed/);
    expect(() => parseCheckpoints('')).toThrow(/empty/);
  });
});

describe('the recompute-the-chain attack', () => {
  let checkpoint: Checkpoint;
  beforeEach(async () => {
    await append(5);
    checkpoint = signCheckpoint(await head(), key);
    await append(2); // events after the checkpoint
  });

  it('passes the chain check alone, and fails against a checkpoint kept outside the database', async () => {
    await rewriteFrom(3, { i: 99, note: 'rewritten' });
    expect(await verifyAuditChain(url())).toMatchObject({ ok: true, checked: 7 }); // what the issue reproduced
    expect(await verifyAuditChain(url(), { checkpoints: [checkpoint], publicKeys: [publicKey] })).toMatchObject({
      ok: false,
      seq: '5',
      problem: expect.stringMatching(/differs from its signed checkpoint.*rewritten/),
    });
  });

  it('a deleted tail with the head rewound passes the chain check alone, and fails against the checkpoint', async () => {
    await asOwner('DELETE FROM "AuditEvent" WHERE seq >= 4');
    const [third] = await sql<{ hash: string }>('SELECT hash FROM "AuditEvent" WHERE seq = 3');
    await sql(`UPDATE "AuditHead" SET seq = 3, hash = $1`, [third.hash]);
    expect(await verifyAuditChain(url())).toMatchObject({ ok: true, checked: 3 });
    expect(await verifyAuditChain(url(), { checkpoints: [checkpoint], publicKeys: [publicKey] })).toMatchObject({
      ok: false,
      seq: '5',
      problem: expect.stringMatching(/records event 5, but the log ends at event 3/),
    });
  });

  it('an untouched log verifies against its checkpoint; a checkpoint signed with another key is refused', async () => {
    expect(await verifyAuditChain(url(), { checkpoints: [checkpoint], publicKeys: [publicKey] })).toMatchObject({
      ok: true,
      checked: 7,
    });
    const other = generateKeyPairSync('ed25519');
    const forged = signCheckpoint({ seq: 5n, hash: checkpoint.hash }, other.privateKey);
    expect(await verifyAuditChain(url(), { checkpoints: [forged], publicKeys: [publicKey] })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not signed by a trusted key/),
    });
  });
});

describe('the worker job and the CLI', () => {
  const runCli = (...args: string[]) => runCliWith(process.env, ...args);
  const runCliWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
    promisify(execFile)(process.execPath, [join(process.cwd(), 'bin/firebreak.mjs'), ...args], {
      env: { ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('the job signs a checkpoint of each new verified head, stores it and appends it to the file; it catches a rewrite behind it', async () => {
    const { verifyAuditChainJob } = await import('../../worker/jobs/verify-audit-chain');
    await append(4);
    const first = await verifyAuditChainJob();
    expect(first).toMatchObject({ ok: true, checkpoint: { seq: '4' } });
    expect(await verifyAuditChainJob()).toMatchObject({ ok: true, checkpoint: null }); // nothing new: no second checkpoint
    await append(1);
    expect(await verifyAuditChainJob()).toMatchObject({ ok: true, checkpoint: { seq: '5' } });
    expect(await sql('SELECT seq::int AS seq FROM "AuditCheckpoint" ORDER BY seq')).toEqual([{ seq: 4 }, { seq: 5 }]);
    expect(parseCheckpoints(readFileSync(checkpointFile, 'utf8')).map((c) => c.seq)).toEqual(['4', '5']);

    await rewriteFrom(2, { i: 42 });
    expect(await verifyAuditChainJob()).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/signed checkpoint/),
    });
    expect(await db.auditVerification.findFirst({ orderBy: { at: 'desc' } })).toMatchObject({ ok: false });
  });

  it('a forged checkpoint row (the app role can INSERT) is reported, never used, and does not stop checkpointing', async () => {
    const { verifyAuditChainJob } = await import('../../worker/jobs/verify-audit-chain');
    const { keyIdOf } = await import('@/lib/audit/checkpoint');
    await append(2);
    await sql(
      `INSERT INTO "AuditCheckpoint" (seq, hash, at, "keyId", signature) VALUES (9223372036854775806, repeat('0', 64), now(), $1, 'AAAA')`,
      [keyIdOf(key)],
    );
    const result = await verifyAuditChainJob();
    expect(result).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/1 checkpoint row\(s\) in the database .* not signed by the worker's key/),
      checkpoint: { seq: '2' },
    });
    expect(await db.auditVerification.findFirst({ orderBy: { at: 'desc' } })).toMatchObject({ ok: false });
    // Nor does the CLI export it: without the signing key it exports the newest row that verifies.
    const { AUDIT_SIGNING_KEY_FILE: _, ...withoutKey } = process.env;
    const exported = await runCliWith(withoutKey, 'audit', 'checkpoint', '--public-key', `${keyFile}.pub`);
    expect(exported).toMatchObject({ code: 0 });
    expect(JSON.parse(exported.stdout)).toMatchObject({ seq: '2', keyId: keyIdOf(key) });
  });

  it('a line of the worker file that is not a checkpoint signed by its key is reported', async () => {
    const { verifyAuditChainJob } = await import('../../worker/jobs/verify-audit-chain');
    await append(1);
    writeFileSync(
      checkpointFile,
      `${JSON.stringify(signCheckpoint({ seq: 1n, hash: 'c'.repeat(64) }, generateKeyPairSync('ed25519').privateKey))}\nnot json\n`,
    );
    expect(await verifyAuditChainJob()).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/0 checkpoint row\(s\) in the database and 2 line\(s\)/),
    });
  });

  it('`audit checkpoint` exports one; `audit verify --checkpoint` passes, then fails after the attack (exit 1)', async () => {
    await append(3);
    const out = join(dir, 'exported.jsonl');
    const made = await runCli('audit', 'checkpoint', '--out', out);
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining('checkpoint of event 3') });
    const ok = await runCli('audit', 'verify', '--checkpoint', out, '--public-key', `${keyFile}.pub`);
    expect(ok).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('1 signed checkpoint(s), the newest of event 3'),
    });
    await rewriteFrom(1, { i: 'nothing happened' });
    expect((await runCli('audit', 'verify')).code).toBe(0); // the chain alone is fooled
    const caught = await runCli('audit', 'verify', '--checkpoint', out, '--public-key', `${keyFile}.pub`);
    expect(caught.code).toBe(1);
    expect(caught.stderr).toMatch(/BROKEN at event 3: .*signed checkpoint/);
    const noKey = await runCli('audit', 'verify', '--checkpoint', out, '--public-key', join(dir, 'missing.pem'));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/error: .*missing\.pem/);
    // An emptied checkpoint file is not "verified against checkpoints".
    writeFileSync(join(dir, 'empty.json'), '[]');
    const empty = await runCli(
      'audit',
      'verify',
      '--checkpoint',
      join(dir, 'empty.json'),
      '--public-key',
      `${keyFile}.pub`,
    );
    expect(empty).toMatchObject({ code: 1, stderr: expect.stringContaining('hold no checkpoint') });
    // A key is never replaced: checkpoints made with it would stop verifying.
    const again = await runCli('audit', 'keygen', '--out', keyFile);
    expect(again).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: .*exists: refusing to replace a key/),
    });
  });
});
