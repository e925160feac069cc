// Nobody is stranded (DESIGN invariant 3): a customer the switch refuses with "password reset
// required" must hold a live reset link and have its mail queued, sent or visibly held. The
// fan-out issues links to the cohort as it stands when it passes each customer. Whoever the
// switch refuses afterwards without a live link — marked affected after the fan-out passed them,
// re-activated, a 2FA or balance flag that changed under a filtered campaign, or a link that
// expired unused — gets one at that refusal, from here: a new link (the old one, if any, stops
// working) and a new mail. A customer the fan-out has yet to reach is left to the fan-out, so a
// link is never issued twice and the login wave right after approval writes nothing here.
// Campaigns that send no mail (sendMail off: the exchange mails its customers itself) issue none.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { recordAuditPg } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { config } from '@/lib/config';
import { pgPool } from '@/lib/db/pool';
import { sha256Hex } from '@/lib/hash';
import { enqueueRowsPg } from '@/lib/mail/outbox';
import { effectiveCampaignsSql } from './cohort';
import { officialChannelsPg, RESET_MAIL_SUBJECT, resetLinkBase, resetMail } from './fanout';

const switchActor = systemActor('reset-switch');

/** SQL (over `cu`): the switch refuses the customer's current password (login and session checks). */
export const resetRequiredSql = `
  (cu."mustResetPassword" OR EXISTS (${effectiveCampaignsSql} AND c."effectiveAt" > cu."credentialsChangedAt"))`;

/**
 * SQL (over `cu`), for a customer the switch refuses: they hold no live link, and no running
 * fan-out of a refusing campaign is still on its way to them. `OFFSET 0` keeps the link check a
 * lookup by this customer's key: without it a plan made while ResetToken was small may hash the
 * whole table instead, at every call, a million rows once a reset has fanned out (a generic plan
 * on the hot-path pool did: lib/db/pool.ts).
 */
export const linkMissingSql = `
  NOT EXISTS (SELECT 1 FROM "ResetToken" t WHERE t."customerId" = cu.id AND t."usedAt" IS NULL AND t."expiresAt" > now() OFFSET 0)
  AND NOT EXISTS (${effectiveCampaignsSql} AND c."effectiveAt" > cu."credentialsChangedAt"
                  AND EXISTS (SELECT 1 FROM "ResetPartition" p WHERE p."campaignId" = c.id AND NOT p.done
                                 AND cu.id >= p."lowerId" AND (p."upperId" IS NULL OR cu.id < p."upperId")
                                 AND (p.cursor IS NULL OR cu.id > p.cursor)))`;

/** SQL (over `cu`): refused by the switch, and without a link that one is on its way. */
export const strandedSql = `${resetRequiredSql} AND ${linkMissingSql}`;

/**
 * Issues a reset link and mail to a customer the switch refuses without one (see above); does
 * nothing otherwise. Safe under concurrent refusals of one customer: one link, one mail.
 */
export async function issueMissingResetLink(customerId: string): Promise<boolean> {
  const client = await pgPool().connect();
  try {
    await client.query('BEGIN');
    // The customer row is locked first, in a statement of its own: the check below then takes its
    // snapshot after any concurrent refusal of this customer committed, and sees the link it issued.
    await client.query(`SELECT 1 FROM "Customer" WHERE id = $1::uuid FOR UPDATE`, [customerId]);
    const {
      rows: [customer],
    } = await client.query<{ id: string; email: string; stranded: boolean }>(
      `SELECT cu.id, cu.email, ${strandedSql} AS stranded FROM "Customer" cu WHERE cu.id = $1::uuid`,
      [customerId],
    );
    if (!customer?.stranded) {
      await client.query('ROLLBACK');
      return false;
    }
    // The refusing campaign: the newest effective one that holds the customer (one that sends reset
    // mail before one that does not); for a customer
    // refused by the fan-out's flag alone, the campaign of their newest link.
    const {
      rows: [campaign],
    } = await client.query<{ id: string; incidentId: string; reference: string; sendMail: boolean }>(
      `SELECT c.id, c."incidentId", i.reference, c."sendMail"
         FROM "ResetCampaign" c JOIN "Incident" i ON i.id = c."incidentId"
        WHERE c.id = coalesce(
                (SELECT e.id FROM "Customer" cu, LATERAL (${effectiveCampaignsSql} AND c."effectiveAt" > cu."credentialsChangedAt") e
                  WHERE cu.id = $1::uuid ORDER BY e."sendMail" DESC, e."effectiveAt" DESC LIMIT 1),
                (SELECT t."campaignId" FROM "ResetToken" t WHERE t."customerId" = $1::uuid ORDER BY t."createdAt" DESC LIMIT 1))`,
      [customerId],
    );
    if (!campaign?.sendMail) {
      await client.query('ROLLBACK');
      return false;
    }
    const settings = config();
    const token = randomBytes(32).toString('base64url');
    // One link per customer and campaign: a new one replaces an expired one (the old stops working).
    const {
      rows: [issued],
    } = await client.query<{ createdAt: Date; replaced: boolean }>(
      `INSERT INTO "ResetToken" ("customerId", "campaignId", "tokenHash", "expiresAt")
       VALUES ($1::uuid, $2::uuid, $3, now() + make_interval(hours => $4::int))
       ON CONFLICT ("customerId", "campaignId") DO UPDATE
         SET "tokenHash" = EXCLUDED."tokenHash", "expiresAt" = EXCLUDED."expiresAt", "usedAt" = NULL, "createdAt" = now()
       RETURNING "createdAt", (xmax <> 0) AS replaced`,
      [customerId, campaign.id, sha256Hex(token), settings.RESET_TOKEN_TTL_HOURS],
    );
    await client.query(`UPDATE "Customer" SET "mustResetPassword" = true WHERE id = $1::uuid`, [customerId]);
    // The fan-out's key for a first link; a replacement gets a key of its own (its own mail).
    const idempotencyKey = `reset:${campaign.id}:${customerId}${issued.replaced ? `:${issued.createdAt.getTime()}` : ''}`;
    await enqueueRowsPg(client, 'SECURITY', [
      {
        to: customer.email,
        subject: RESET_MAIL_SUBJECT,
        text: resetMail(
          `${resetLinkBase()}/account/reset/${token}`,
          campaign.reference,
          settings.RESET_TOKEN_TTL_HOURS,
          await officialChannelsPg(client),
        ),
        idempotencyKey,
        incidentId: campaign.incidentId,
        campaignId: campaign.id,
      },
    ]);
    await recordAuditPg(client, switchActor, {
      action: 'reset.link_issued',
      targetType: 'Customer',
      targetId: customerId,
      data: { campaignId: campaign.id, replaced: issued.replaced, why: 'refused by the reset without a live link' },
    });
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
