// Recurring job: verify the whole audit chain (against the newest signed checkpoints), record the
// result, which the Audit page shows, and sign a checkpoint of the verified head
// (lib/audit/checkpoint.ts) when a signing key is configured.
import { createPublicKey } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { latestCheckpoints, storeCheckpoint } from '@/lib/audit/checkpoints';
import { loadSigningKey, signCheckpoint } from '@/lib/audit/checkpoint';
import { verifyAuditChain } from '@/lib/audit/verify';
import { config, requireDatabaseUrl } from '@/lib/config';
import { db } from '@/lib/db';

export const VERIFY_AUDIT_CHAIN_CRON = '*/5 * * * *';

export async function verifyAuditChainJob() {
  const settings = config();
  const key = settings.AUDIT_SIGNING_KEY_FILE ? loadSigningKey(settings.AUDIT_SIGNING_KEY_FILE) : null;
  const publicKey = key && createPublicKey(key);
  const anchors = publicKey ? { checkpoints: await latestCheckpoints(publicKey), publicKey } : undefined;
  const result = await verifyAuditChain(requireDatabaseUrl(), anchors);
  await db.auditVerification.create({
    data: result.ok
      ? { ok: true, checked: result.checked }
      : { ok: false, checked: result.checked, firstBadSeq: BigInt(result.seq), problem: result.problem },
  });
  if (!result.ok) {
    console.error(`[worker] AUDIT CHAIN BROKEN at event ${result.seq}: ${result.problem}`);
    return { ...result, checkpoint: null };
  }
  const newest = anchors?.checkpoints[0];
  if (!key || result.headSeq === '0' || (newest && BigInt(newest.seq) >= BigInt(result.headSeq))) return { ...result, checkpoint: null };
  const checkpoint = signCheckpoint({ seq: result.headSeq, hash: result.headHash }, key);
  await storeCheckpoint(checkpoint);
  if (settings.AUDIT_CHECKPOINT_FILE) appendFileSync(settings.AUDIT_CHECKPOINT_FILE, `${JSON.stringify(checkpoint)}\n`, { mode: 0o644 });
  return { ...result, checkpoint };
}
