// Recurring job: verify the whole audit chain and record the result, which the Audit page shows.
import { verifyAuditChain } from '@/lib/audit/verify';
import { requireDatabaseUrl } from '@/lib/config';
import { db } from '@/lib/db';

export const VERIFY_AUDIT_CHAIN = 'audit.verify-chain';
export const VERIFY_AUDIT_CHAIN_CRON = '*/5 * * * *';

export async function verifyAuditChainJob() {
  const result = await verifyAuditChain(requireDatabaseUrl());
  await db.auditVerification.create({
    data: result.ok
      ? { ok: true, checked: result.checked }
      : { ok: false, checked: result.checked, firstBadSeq: BigInt(result.seq), problem: result.problem },
  });
  if (!result.ok) console.error(`[worker] AUDIT CHAIN BROKEN at event ${result.seq}: ${result.problem}`);
  return result;
}
