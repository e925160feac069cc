// Nobody is stranded: every customer the switch refuses with "password reset required" holds a
// live reset link and has a reset mail in the outbox — for each way of ending up refused after the
// fan-out passed them, and not twice when the fan-out has yet to reach them.
import { describe, expect, it } from 'vitest';
import {
  checkCustomerSession,
  customerLogin,
  PasswordResetRequired,
  resetCustomerPassword,
} from '@/lib/customers/auth';
import { approveReset, markAffected, requestReset } from '@/lib/resets';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { declaredIncident, staffActor } from '../../test/fixtures';
import { completedReset, fanOut, linksOf } from '../../test/resets';
import { sql } from '../../test/sql';

const refusedLogin = (email: string) =>
  expect(customerLogin({ email, password: OLD_PASSWORD })).rejects.toThrow(PasswordResetRequired);

describe('a customer refused after the fan-out passed them gets a link and a mail at the refusal', () => {
  it('marked affected after an AFFECTED reset completed', async () => {
    await seedCustomers(2, { prefix: 'late' });
    const { security, incident } = await completedReset({ scope: 'AFFECTED' }, ['late1']);
    await markAffected(security, incident.id, ['late2']);
    await refusedLogin('late2@customers.example');
    expect(await linksOf('late2@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
    await refusedLogin('late2@customers.example'); // a second refusal issues nothing more
    expect(await linksOf('late2@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
  });

  it('re-activated after the fan-out skipped them', async () => {
    await seedCustomers(2, { prefix: 'dormant' });
    await sql(`UPDATE "Customer" SET status = 'SUSPENDED' WHERE email = 'dormant2@customers.example'`);
    await completedReset({ scope: 'AFFECTED' }, ['dormant1', 'dormant2']);
    expect(await linksOf('dormant2@customers.example')).toEqual({ live: 0, links: 0, mails: 0 });
    await sql(`UPDATE "Customer" SET status = 'ACTIVE' WHERE email = 'dormant2@customers.example'`);
    await refusedLogin('dormant2@customers.example');
    expect(await linksOf('dormant2@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
  });

  it('whose two-factor sign-in was turned off after a campaign for customers without it', async () => {
    await seedCustomers(3, { prefix: 'flip', twoFactorEvery: 3 }); // flip3 has 2FA
    await completedReset({ scope: 'AFFECTED', onlyWithout2fa: true }, ['flip1', 'flip3']);
    expect(await linksOf('flip3@customers.example')).toEqual({ live: 0, links: 0, mails: 0 });
    await sql(`UPDATE "Customer" SET "twoFactorEnabled" = false WHERE email = 'flip3@customers.example'`);
    await refusedLogin('flip3@customers.example');
    expect(await linksOf('flip3@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
  });

  it('whose link expired unused: a new link replaces it (the old stops working) and a new mail goes out', async () => {
    await seedCustomers(1, { prefix: 'expiry' });
    await completedReset({ scope: 'AFFECTED' }, ['expiry1']);
    const email = 'expiry1@customers.example';
    const [old] = await sql<{ tokenHash: string }>(
      `SELECT t."tokenHash" FROM "ResetToken" t JOIN "Customer" cu ON cu.id = t."customerId" WHERE cu.email = $1`,
      [email],
    );
    await sql(`UPDATE "ResetToken" SET "expiresAt" = now() - interval '1 second' WHERE "tokenHash" = $1`, [
      old.tokenHash,
    ]);
    await refusedLogin(email);
    expect(await linksOf(email)).toEqual({ live: 1, links: 1, mails: 2 });
    expect(await sql(`SELECT 1 FROM "ResetToken" WHERE "tokenHash" = $1`, [old.tokenHash])).toHaveLength(0);
    // The newest mail's link sets a new password.
    const [mail] = await sql<{ text: string }>(
      `SELECT text FROM "MailMessage" WHERE "to" = $1 ORDER BY "queuedAt" DESC LIMIT 1`,
      [email],
    );
    const token = /\/account\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    await resetCustomerPassword({ token, newPassword: 'a brand new passphrase 2026' });
    expect(await customerLogin({ email, password: 'a brand new passphrase 2026' })).toHaveProperty('sessionToken');
  });

  it('refused on a session check, not a login', async () => {
    await seedCustomers(2, { prefix: 'sess' });
    const { sessionToken } = await customerLogin({ email: 'sess2@customers.example', password: OLD_PASSWORD });
    const { security, incident } = await completedReset({ scope: 'AFFECTED', revokeSessions: true }, ['sess1']);
    expect(await checkCustomerSession(sessionToken)).toMatchObject({ email: 'sess2@customers.example' });
    await markAffected(security, incident.id, ['sess2']);
    await expect(checkCustomerSession(sessionToken)).rejects.toThrow(PasswordResetRequired);
    expect(await linksOf('sess2@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
  });

  it('ten refusals at once issue one link and one mail (20 rounds)', async () => {
    await seedCustomers(21, { prefix: 'burst' });
    const { security, incident } = await completedReset({ scope: 'AFFECTED' }, ['burst21']);
    for (let round = 1; round <= 20; round++) {
      const email = `burst${round}@customers.example`;
      await markAffected(security, incident.id, [`burst${round}`]);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => customerLogin({ email, password: OLD_PASSWORD })),
      );
      expect(
        results.every((r) => r.status === 'rejected' && r.reason instanceof PasswordResetRequired),
        `round ${round}`,
      ).toBe(true);
      expect(await linksOf(email), `round ${round}`).toEqual({ live: 1, links: 1, mails: 1 });
    }
  });
});

describe('a customer the fan-out has yet to reach', () => {
  it('is left to the fan-out: the refusal issues nothing, the fan-out issues one link and one mail', async () => {
    await seedCustomers(1, { prefix: 'ahead' });
    const { security, incident } = await declaredIncident();
    await markAffected(security, incident.id, ['ahead1']);
    const campaign = await requestReset(security, incident.id, { scope: 'AFFECTED' });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    await refusedLogin('ahead1@customers.example');
    expect(await linksOf('ahead1@customers.example')).toEqual({ live: 0, links: 0, mails: 0 });
    await fanOut(campaign.id);
    expect(await linksOf('ahead1@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
  });

  it('a campaign that sends no mail issues no link at a refusal either (the exchange mails its customers itself)', async () => {
    await seedCustomers(2, { prefix: 'nomail' });
    const { security, incident } = await completedReset({ scope: 'AFFECTED', sendMail: false }, ['nomail1']);
    await markAffected(security, incident.id, ['nomail2']);
    await refusedLogin('nomail2@customers.example');
    expect(await linksOf('nomail2@customers.example')).toEqual({ live: 0, links: 0, mails: 0 });
  });
});

describe('a reset mail that will never arrive takes its link with it, and the next refusal sends a new one', () => {
  /** The customer's live links and reset mails by status. */
  async function mailOf(email: string) {
    const rows = await sql<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM "MailMessage" WHERE "to" = $1 AND "idempotencyKey" LIKE 'reset:%' GROUP BY 1 ORDER BY 1`,
      [email],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  it('cancelled while held: the link stops working; at the next refusal a new link and mail (held again while frozen)', async () => {
    const { freezeMail, unfreezeMail } = await import('@/lib/mail/freeze');
    const { cancelHeld } = await import('@/lib/mail/outbox');
    await seedCustomers(2, { prefix: 'cancelled' });
    const admin = await staffActor('ADMIN');
    await freezeMail(admin, { streams: ['SECURITY'], reason: 'test: hold the reset mail' });
    try {
      const { campaign } = await completedReset({ scope: 'ALL' });
      expect(await mailOf('cancelled1@customers.example')).toEqual({ HELD: 1 });
      const [{ hash }] = await sql<{ hash: string }>(
        `SELECT t."tokenHash" AS hash FROM "ResetToken" t JOIN "Customer" cu ON cu.id = t."customerId" WHERE cu.email = 'cancelled1@customers.example'`,
      );
      await cancelHeld(admin, { campaignId: campaign.id });
      expect(await linksOf('cancelled1@customers.example')).toMatchObject({ live: 0, links: 1 });
      // The link in the cancelled mail no longer works, whoever reads it from the outbox.
      const [old] = await sql<{ expired: boolean }>(
        `SELECT "expiresAt" <= now() AS expired FROM "ResetToken" WHERE "tokenHash" = $1`,
        [hash],
      );
      expect(old.expired).toBe(true);
      await refusedLogin('cancelled1@customers.example');
      expect(await linksOf('cancelled1@customers.example')).toMatchObject({ live: 1, links: 1, mails: 2 });
      expect(await mailOf('cancelled1@customers.example')).toEqual({ CANCELLED: 1, HELD: 1 });
      // Nobody else was touched: the other customer's mail was cancelled too, and still waits for a refusal.
      expect(await linksOf('cancelled2@customers.example')).toMatchObject({ live: 0, mails: 1 });
    } finally {
      await unfreezeMail(admin, { streams: ['SECURITY'], reason: 'test: done' });
    }
  });

  it('FAILED (refused by the relay): the link stops working; a replacement issued after it was queued is kept', async () => {
    await seedCustomers(1, { prefix: 'failed' });
    await completedReset({ scope: 'ALL' });
    const email = 'failed1@customers.example';
    await sql(`UPDATE "MailMessage" SET status = 'FAILED', "lastError" = '550 mailbox unavailable' WHERE "to" = $1`, [
      email,
    ]);
    expect(await linksOf(email)).toMatchObject({ live: 0, mails: 1 });
    await refusedLogin(email);
    expect(await linksOf(email)).toMatchObject({ live: 1, links: 1, mails: 2 });
    // The first mail failing again (a retry settled late) or being cancelled does not kill the new link.
    await sql(`UPDATE "MailMessage" SET status = 'CANCELLED' WHERE "to" = $1 AND status = 'FAILED'`, [email]);
    expect(await linksOf(email)).toMatchObject({ live: 1 });
    // The replacement failing does.
    await sql(`UPDATE "MailMessage" SET status = 'FAILED' WHERE "to" = $1 AND status = 'QUEUED'`, [email]);
    expect(await linksOf(email)).toMatchObject({ live: 0 });
  });
});
