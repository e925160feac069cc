import { staffRoute } from '@/lib/api/route';
import { verifyAuditChain } from '@/lib/audit/verify';
import { assertCan } from '@/lib/auth/policy';
import { requireDatabaseUrl } from '@/lib/config';

export const GET = staffRoute('GET /audit/verify', async (_request, actor) => {
  assertCan(actor, 'audit.read');
  return verifyAuditChain(requireDatabaseUrl());
});
