// Counts for the Customers page.
import 'server-only';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { db } from '@/lib/db';

export async function directorySummary(actor: Actor) {
  assertCan(actor, 'console.read');
  const [row] = await db.$queryRaw<
    {
      total: number;
      active: number;
      mustReset: number;
      without2fa: number;
      withBalance: number;
      liveSessions: number;
    }[]
  >`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'ACTIVE')::int AS active,
           count(*) FILTER (WHERE "mustResetPassword")::int AS "mustReset",
           count(*) FILTER (WHERE NOT "twoFactorEnabled")::int AS without2fa,
           count(*) FILTER (WHERE "hasBalance")::int AS "withBalance",
           (SELECT count(*)::int FROM "CustomerSession" s JOIN "Customer" c ON c.id = s."customerId"
             WHERE s."revokedAt" IS NULL AND s."createdAt" >= coalesce(c."sessionsRevokedBefore", '-infinity')) AS "liveSessions"
      FROM "Customer"`;
  return row;
}
