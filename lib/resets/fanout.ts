// The fan-out of an approved reset: set-based chunks in keyset order (customer id), one
// transaction per chunk that flags the customers, revokes sessions (and API keys), locks
// withdrawals, inserts one reset token each and queues one reset mail each, and advances the
// campaign's cursor. A killed worker loses at most its open chunk (rolled back); whoever runs the
// campaign next resumes from the cursor. Tokens are unique per (campaign, customer) and mails per
// idempotency key `reset:<campaign>:<customer>`, so nobody gets two.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { recordAuditPg } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { config } from '@/lib/config';
import { enqueueRowsPg, RecipientRefused } from '@/lib/mail/outbox';
import { cohortWhere } from './cohort';

const RESET_LOCK = 0x52535420; // "RST "
const fanout = systemActor('reset-fanout');

type CampaignRow = {
  id: string; incidentId: string; scope: 'ALL' | 'AFFECTED'; onlyWithout2fa: boolean; onlyWithBalance: boolean; revokeSessions: boolean;
  revokeApiKeys: boolean; sendMail: boolean; lockWithdrawalsHours: number | null; status: string; effectiveAt: Date; cursor: string | null; reference: string;
};

function resetMail(link: string, reference: string, hours: number) {
  return [
    'We have reset the password of your account as a precaution, following a security incident',
    `(${reference}). Your old password and your existing sessions no longer work.`,
    '',
    `Set a new password here (the link works once and expires in ${hours} hours):`,
    link,
    '',
    'We will never ask you for your password, for 2FA codes, or to send funds anywhere.',
    'Only trust links to our own domain, and check announcements on our official status page.',
  ].join('\n');
}

/**
 * Runs one chunk of a campaign on `client` (a dedicated connection). Returns the number of
 * customers it processed, 0 when the campaign is complete (or not running).
 */
export async function runChunk(client: pg.ClientBase, campaignId: string): Promise<number> {
  const settings = config();
  await client.query('BEGIN');
  try {
    const { rows: [campaign] } = await client.query<CampaignRow>(
      `SELECT c.*, i.reference FROM "ResetCampaign" c JOIN "Incident" i ON i.id = c."incidentId" WHERE c.id = $1 FOR UPDATE OF c`,
      [campaignId],
    );
    if (!campaign || campaign.status !== 'RUNNING') {
      await client.query('ROLLBACK');
      return 0;
    }
    const where = cohortWhere(campaign, 3);
    const { rows: customers } = await client.query<{ id: string; email: string }>(
      // Customers whose credentials changed after the reset took effect (new passwords, new
      // sign-ups) are already safe: they get no flag, no token and no mail.
      `SELECT cu.id, cu.email FROM "Customer" cu
        WHERE cu.id > $1::uuid AND cu."credentialsChangedAt" < $${3 + where.values.length}::timestamptz AND ${where.sql}
        ORDER BY cu.id LIMIT $2`,
      [campaign.cursor ?? '00000000-0000-0000-0000-000000000000', settings.RESET_CHUNK_SIZE, ...where.values, campaign.effectiveAt],
    );
    if (customers.length === 0) {
      await client.query(`UPDATE "ResetCampaign" SET status = 'COMPLETED', "finishedAt" = now() WHERE id = $1`, [campaign.id]);
      await recordAuditPg(client, fanout, { action: 'reset.completed', targetType: 'ResetCampaign', targetId: campaign.id, data: { incident: campaign.reference } });
      await client.query(
        `INSERT INTO "TimelineEntry" (id, "incidentId", kind, action, message, "actorLabel", data) VALUES (gen_random_uuid(), $1, 'EVENT', 'reset.completed', 'Password reset fan-out completed', 'reset-fanout', $2)`,
        [campaign.incidentId, JSON.stringify({ campaignId: campaign.id })],
      );
      await client.query('COMMIT');
      return 0;
    }
    const ids = customers.map((c) => c.id);
    await client.query(
      `UPDATE "Customer" SET "mustResetPassword" = true,
              "withdrawalsLockedUntil" = CASE WHEN $2::int IS NULL THEN "withdrawalsLockedUntil"
                                              ELSE greatest(coalesce("withdrawalsLockedUntil", now()), now() + make_interval(hours => $2::int)) END
        WHERE id = ANY ($1::uuid[])`,
      [ids, campaign.lockWithdrawalsHours],
    );
    if (campaign.revokeSessions) {
      await client.query(`UPDATE "CustomerSession" SET "revokedAt" = now() WHERE "customerId" = ANY ($1::uuid[]) AND "revokedAt" IS NULL AND "createdAt" < $2`, [ids, campaign.effectiveAt]);
    }
    if (campaign.revokeApiKeys) {
      await client.query(`UPDATE "CustomerApiKey" SET "revokedAt" = now() WHERE "customerId" = ANY ($1::uuid[]) AND "revokedAt" IS NULL AND "createdAt" < $2`, [ids, campaign.effectiveAt]);
    }
    let mailed = 0;
    if (campaign.sendMail) {
      const tokens = customers.map(() => randomBytes(32).toString('base64url'));
      const { rows: issued } = await client.query<{ customerId: string }>(
        `INSERT INTO "ResetToken" (id, "customerId", "campaignId", "tokenHash", "expiresAt")
         SELECT gen_random_uuid(), t.customer, $1::uuid, t.hash, now() + make_interval(hours => $4::int)
           FROM unnest($2::uuid[], $3::text[]) AS t(customer, hash)
         ON CONFLICT ("campaignId", "customerId") DO NOTHING RETURNING "customerId"`,
        [campaign.id, ids, tokens.map((t) => createHash('sha256').update(t).digest('hex')), settings.RESET_TOKEN_TTL_HOURS],
      );
      const issuedTo = new Set(issued.map((r) => r.customerId));
      const base = (settings.FIREBREAK_PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/$/, '');
      const rows = customers.flatMap((customer, i) =>
        issuedTo.has(customer.id)
          ? [{
              to: customer.email,
              subject: 'Your password has been reset — action required',
              text: resetMail(`${base}/account/reset/${tokens[i]}`, campaign.reference, settings.RESET_TOKEN_TTL_HOURS),
              idempotencyKey: `reset:${campaign.id}:${customer.id}`,
              incidentId: campaign.incidentId,
              campaignId: campaign.id,
            }]
          : [],
      );
      if (rows.length) mailed = (await enqueueRowsPg(client, 'SECURITY', rows)).queued;
    }
    await client.query(
      `UPDATE "ResetCampaign" SET cursor = $2, "processedCount" = "processedCount" + $3, "mailedCount" = "mailedCount" + $4, "chunksDone" = "chunksDone" + 1 WHERE id = $1`,
      [campaign.id, ids[ids.length - 1], ids.length, mailed],
    );
    await recordAuditPg(client, fanout, { action: 'reset.chunk_done', targetType: 'ResetCampaign', targetId: campaign.id, data: { customers: ids.length, mailed, last: ids[ids.length - 1] } });
    await client.query('COMMIT');
    return ids.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof RecipientRefused) {
      await client.query(`UPDATE "ResetCampaign" SET status = 'FAILED', "lastError" = $2 WHERE id = $1`, [campaignId, error.message]);
    }
    throw error;
  }
}

/**
 * The worker's reset loop: finds running campaigns and fans each out while holding its advisory
 * lock on a dedicated connection, so one worker runs a campaign at a time and a dead worker's
 * lock goes with its connection.
 */
export function createResetRunner(options: { databaseUrl: string; pollMs?: number; log?: (line: string) => void }) {
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: options.databaseUrl });
  client.on('error', (error) => log(`reset runner connection error: ${error.message}`));
  let running = false;
  let loop: Promise<void> | null = null;

  async function tick() {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "ResetCampaign" WHERE status = 'RUNNING' ORDER BY "effectiveAt"`);
    for (const { id } of rows) {
      const { rows: [lock] } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [RESET_LOCK, id]);
      if (!lock.ok) continue;
      try {
        let total = 0;
        for (let n = await runChunk(client, id); n > 0 && running; n = await runChunk(client, id)) total += n;
        if (total) log(`reset ${id}: fanned out ${total} customers`);
      } catch (error) {
        log(`reset ${id}: ${(error as Error).message}`);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RESET_LOCK, id]);
      }
    }
  }

  return {
    async start() {
      await client.connect();
      running = true;
      loop = (async () => {
        while (running) {
          await tick().catch((error) => log(`reset runner: ${(error as Error).message}`));
          await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      await client.end().catch(() => {});
    },
  };
}
