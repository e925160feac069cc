// The customer's side of a reset link (resetCustomerPassword) and who the fan-out leaves alone.
// Links are inserted with a known plaintext here: in the product it exists only in the mail.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCustomerSession, customerLogin, resetCustomerPassword } from '@/lib/customers/auth';
import { sha256Hex } from '@/lib/hash';
import { approveReset, requestReset } from '@/lib/resets';
import { createResetRunner } from '@/lib/resets/fanout';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { declaredIncident, staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';
import { until } from '../../test/until';

const NEW_PASSWORD = 'a brand new passphrase 2026';

/** A pending campaign over the given customers (a fresh incident, its AFFECTED cohort). */
async function campaignFor(emails: string[]) {
  const { security, incident } = await declaredIncident();
  await sql(
    `INSERT INTO "IncidentAffectedCustomer" ("incidentId", "customerId") SELECT $1, id FROM "Customer" WHERE email = ANY ($2)`,
    [incident.id, emails],
  );
  return requestReset(security, incident.id, { scope: 'AFFECTED' });
}

/** Issues a reset link to a customer, as the fan-out would, and returns its plaintext. */
async function issueLink(email: string, campaignId: string, expiresAt = "now() + interval '1 hour'") {
  const token = randomBytes(32).toString('base64url');
  await sql(
    `INSERT INTO "ResetToken" ("customerId", "campaignId", "tokenHash", "expiresAt") SELECT id, $2, $3, ${expiresAt} FROM "Customer" WHERE email = $1`,
    [email, campaignId, sha256Hex(token)],
  );
  return token;
}

const passwordHashOf = async (email: string) =>
  (await sql<{ passwordHash: string }>(`SELECT "passwordHash" FROM "Customer" WHERE email = $1`, [email]))[0]
    .passwordHash;

describe('a customer resets their password with a link', () => {
  it('an expired link is refused and changes nothing', async () => {
    await seedCustomers(1, { prefix: 'expired' });
    const email = 'expired1@customers.example';
    const campaign = await campaignFor([email]);
    const token = await issueLink(email, campaign.id, "now() - interval '1 second'");
    const before = await passwordHashOf(email);
    await expect(resetCustomerPassword({ token, newPassword: NEW_PASSWORD })).rejects.toMatchObject({
      code: 'invalid_token',
    });
    expect(await passwordHashOf(email)).toBe(before);
    expect(
      await sql(`SELECT 1 FROM "ResetToken" WHERE "tokenHash" = $1 AND "usedAt" IS NOT NULL`, [sha256Hex(token)]),
    ).toHaveLength(0);
    expect(await customerLogin({ email, password: OLD_PASSWORD })).toHaveProperty('sessionToken');
  });

  it('using one link retires the customer’s other unused links', async () => {
    await seedCustomers(1, { prefix: 'twolinks' });
    const email = 'twolinks1@customers.example';
    const first = await issueLink(email, (await campaignFor([email])).id);
    const second = await issueLink(email, (await campaignFor([email])).id);
    await resetCustomerPassword({ token: first, newPassword: NEW_PASSWORD });
    await expect(
      resetCustomerPassword({ token: second, newPassword: 'someone else’s passphrase 2026' }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    expect(await customerLogin({ email, password: NEW_PASSWORD })).toHaveProperty('sessionToken');
  });

  it('setting a new password ends every session the customer had, even those the campaign left alone', async () => {
    await seedCustomers(1, { prefix: 'sessions' });
    const email = 'sessions1@customers.example';
    const { sessionToken } = await customerLogin({ email, password: OLD_PASSWORD });
    // A campaign that does not revoke sessions: the session survives approval.
    const campaign = await campaignFor([email]);
    await sql(`UPDATE "ResetCampaign" SET "revokeSessions" = false WHERE id = $1`, [campaign.id]);
    await approveReset(await staffActor('SECURITY'), campaign.id);
    expect(await checkCustomerSession(sessionToken)).toMatchObject({ email });
    const token = await issueLink(email, campaign.id);
    await resetCustomerPassword({ token, newPassword: NEW_PASSWORD });
    await expect(checkCustomerSession(sessionToken)).rejects.toMatchObject({ code: 'unauthenticated' });
    const fresh = await customerLogin({ email, password: NEW_PASSWORD });
    expect(await checkCustomerSession(fresh.sessionToken)).toMatchObject({ email });
  });
});

describe('the fan-out', () => {
  it('leaves out customers whose credentials changed after the reset took effect: no flag, no link, no mail', async () => {
    await seedCustomers(3, { prefix: 'changed' });
    const emails = ['changed1@customers.example', 'changed2@customers.example', 'changed3@customers.example'];
    const campaign = await campaignFor(emails);
    const approved = await approveReset(await staffActor('ADMIN'), campaign.id);
    // changed2 set a new password (through an earlier link) after this reset took effect.
    await sql(`UPDATE "Customer" SET "credentialsChangedAt" = $2::timestamptz + interval '1 second' WHERE email = $1`, [
      emails[1],
      approved.effectiveAt,
    ]);

    const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL!, pollMs: 50 });
    await runner.start();
    try {
      await until(
        async () =>
          (await sql<{ status: string }>(`SELECT status FROM "ResetCampaign" WHERE id = $1`, [campaign.id]))[0]
            .status === 'COMPLETED',
        30_000,
      );
    } finally {
      await runner.stop();
    }
    const rows = await sql<{ email: string; flagged: boolean; links: number; mails: number }>(
      `SELECT cu.email, cu."mustResetPassword" AS flagged,
              (SELECT count(*)::int FROM "ResetToken" t WHERE t."customerId" = cu.id) AS links,
              (SELECT count(*)::int FROM "MailMessage" m WHERE m."to" = cu.email) AS mails
         FROM "Customer" cu WHERE cu.email = ANY ($1) ORDER BY cu.email`,
      [emails],
    );
    expect(rows).toEqual([
      { email: emails[0], flagged: true, links: 1, mails: 1 },
      { email: emails[1], flagged: false, links: 0, mails: 0 },
      { email: emails[2], flagged: true, links: 1, mails: 1 },
    ]);
    expect(
      (
        await sql<{ processedCount: number }>(`SELECT "processedCount" FROM "ResetCampaign" WHERE id = $1`, [
          campaign.id,
        ])
      )[0].processedCount,
    ).toBe(2);
  });
});
