// Recurring job: verify the whole audit chain against the newest signed checkpoints — the
// worker's own file outside the database first, and the validly signed rows of AuditCheckpoint —
// record the result, which the Audit page shows, and sign a checkpoint of the verified head
// (lib/audit/checkpoint.ts) when a signing key is configured. A checkpoint row or line that is not
// validly signed is never used; it is reported (someone with database access wrote it), and
// checkpointing goes on.
import { createPublicKey } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { signCheckpoint } from '@/lib/audit/checkpoint';
import { fileCheckpoints, storeCheckpoint, storedCheckpoints } from '@/lib/audit/checkpoints';
import { loadSigningKey } from '@/lib/audit/keys';
import { type VerifyResult, verifyAuditChain } from '@/lib/audit/verify';
import { config, requireDatabaseUrl } from '@/lib/config';
import { db } from '@/lib/db';
import { logger } from '@/lib/log';

export async function verifyAuditChainJob() {
  const settings = config();
  const key = settings.AUDIT_SIGNING_KEY_FILE ? loadSigningKey(settings.AUDIT_SIGNING_KEY_FILE) : null;
  const publicKey = key && createPublicKey(key);
  const stored = publicKey ? await storedCheckpoints(publicKey) : { valid: [], bad: 0 };
  const filed =
    publicKey && settings.AUDIT_CHECKPOINT_FILE
      ? fileCheckpoints(settings.AUDIT_CHECKPOINT_FILE, publicKey)
      : { valid: [], bad: 0 };
  const checkpoints = [...filed.valid, ...stored.valid];
  const chain = await verifyAuditChain(
    requireDatabaseUrl(),
    publicKey ? { checkpoints, publicKeys: [publicKey] } : undefined,
  );
  const result: VerifyResult =
    chain.ok && stored.bad + filed.bad > 0
      ? {
          ok: false,
          checked: chain.checked,
          seq: chain.headSeq,
          problem: `the chain verifies, but ${stored.bad} checkpoint row(s) in the database and ${filed.bad} line(s) of ${settings.AUDIT_CHECKPOINT_FILE ?? 'the checkpoint file'} are not signed by the worker's key: someone wrote them`,
        }
      : chain;
  await db.auditVerification.create({
    data: result.ok
      ? { ok: true, checked: result.checked }
      : { ok: false, checked: result.checked, firstBadSeq: BigInt(result.seq), problem: result.problem },
  });
  if (!result.ok) logger('worker').fatal({ seq: result.seq, problem: result.problem }, 'AUDIT CHAIN BROKEN');
  if (!chain.ok || !key || chain.headSeq === '0') return { ...result, checkpoint: null };
  const newest = checkpoints.reduce((max, c) => (BigInt(c.seq) > max ? BigInt(c.seq) : max), 0n);
  if (newest >= BigInt(chain.headSeq)) return { ...result, checkpoint: null };
  const checkpoint = signCheckpoint({ seq: chain.headSeq, hash: chain.headHash }, key);
  await storeCheckpoint(checkpoint);
  if (settings.AUDIT_CHECKPOINT_FILE)
    appendFileSync(settings.AUDIT_CHECKPOINT_FILE, `${JSON.stringify(checkpoint)}\n`, { mode: 0o644 });
  return { ...result, checkpoint };
}
