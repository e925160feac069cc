// Reset campaigns run to the end in a test: approved, fanned out by a real runner, and what each
// customer holds afterwards.
import { approveReset, markAffected, requestReset } from '@/lib/resets';
import { createResetRunner } from '@/lib/resets/fanout';
import type { RequestResetInput } from '@/lib/resets/schema';
import { declaredIncident, staffActor } from './fixtures';
import { sql } from './sql';
import { until } from './until';

/** A campaign approved and fanned out to the end (the runner stopped afterwards). */
export async function completedReset(options: RequestResetInput, affected: string[] = []) {
  const { security, incident } = await declaredIncident();
  if (affected.length) await markAffected(security, incident.id, affected);
  const campaign = await requestReset(security, incident.id, options);
  await approveReset(await staffActor('ADMIN'), campaign.id);
  await fanOut(campaign.id);
  return { security, incident, campaign };
}

export async function fanOut(campaignId: string) {
  const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL!, pollMs: 20 });
  await runner.start();
  try {
    await until(
      async () =>
        (await sql<{ status: string }>(`SELECT status FROM "ResetCampaign" WHERE id = $1`, [campaignId]))[0].status ===
        'COMPLETED',
      30_000,
    );
  } finally {
    await runner.stop();
  }
}

/** The customer's live links and reset mails (any status). */
export async function linksOf(email: string) {
  const [row] = await sql<{ live: number; links: number; mails: number }>(
    `SELECT (SELECT count(*)::int FROM "ResetToken" t WHERE t."customerId" = cu.id AND t."usedAt" IS NULL AND t."expiresAt" > now()) AS live,
            (SELECT count(*)::int FROM "ResetToken" t WHERE t."customerId" = cu.id) AS links,
            (SELECT count(*)::int FROM "MailMessage" m WHERE m."to" = cu.email AND m."idempotencyKey" LIKE 'reset:%') AS mails
       FROM "Customer" cu WHERE cu.email = $1`,
    [email],
  );
  return row;
}
