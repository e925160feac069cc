import { json, staffRoute } from '@/lib/api/route';
import { verifyAuditChain } from '@/lib/audit/verify';
import { assertCan } from '@/lib/auth/policy';
import { requireDatabaseUrl } from '@/lib/config';

export const GET = staffRoute(async (_request, actor) => {
  assertCan(actor, 'audit.read');
  const result = await verifyAuditChain(requireDatabaseUrl());
  return json(result);
});
