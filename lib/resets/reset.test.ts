import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCustomerSession,
  customerLogin,
  PasswordResetRequired,
  resetCustomerPassword,
} from '@/lib/customers/auth';
import { db } from '@/lib/db';
import { Forbidden } from '@/lib/errors';
import { declareIncident } from '@/lib/incidents';
import { approveReset, cancelReset, getReset, requestReset } from '@/lib/resets';
import { createResetRunner } from '@/lib/resets/fanout';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';
import { duplicateMessageIds, sinkCount, startDispatcher, startSink, until } from '../../test/mail';
import { sql } from '../../test/sql';

describe('mandatory reset of 10,000 customers, end to end through a real SMTP sink', () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  let dispatcher: ReturnType<typeof startDispatcher>;
  beforeAll(async () => {
    await seedCustomers(10_000);
    sink = await startSink();
    dispatcher = startDispatcher(sink.port, { concurrency: 5 });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await sink?.stop();
  });

  it('request → dry-run count → self-approval refused → approval takes effect at once → fan-out → one mail each → single-use link → new password', async () => {
    const requester = await staffActor('SECURITY');
    const approver = await staffActor('SECURITY');
    const incident = await declareIncident(requester, BREACH);
    const email = 'c42@customers.example';
    const { sessionToken } = await customerLogin({ email, password: OLD_PASSWORD });
    expect(await checkCustomerSession(sessionToken)).toMatchObject({ email });

    const directory = await db.customer.count(); // 10,000, and any customer another test of this file added
    const campaign = await requestReset(requester, incident.reference, {
      scope: 'ALL',
      revokeSessions: true,
      sendMail: true,
    });
    expect(campaign).toMatchObject({ status: 'PENDING_APPROVAL', targetCount: directory });
    // Requested is not effective: nothing has changed for customers yet.
    expect(await customerLogin({ email, password: OLD_PASSWORD })).toHaveProperty('sessionToken');

    await expect(approveReset(requester, campaign.id)).rejects.toMatchObject({ code: 'self_approval' });
    await expect(approveReset(requester, campaign.id)).rejects.toThrow(Forbidden);
    await expect(approveReset(await staffActor('EXECUTIVE'), campaign.id)).rejects.toThrow(Forbidden);

    const approved = await approveReset(approver, campaign.id);
    expect(approved).toMatchObject({ status: 'RUNNING', approvedBy: approver.email });
    // In effect at once, before a single customer row was written (no runner is running yet).
    expect(await db.customer.count({ where: { mustResetPassword: true } })).toBe(0);
    await expect(checkCustomerSession(sessionToken)).rejects.toThrow(PasswordResetRequired);
    await expect(customerLogin({ email, password: OLD_PASSWORD })).rejects.toMatchObject({
      code: 'password_reset_required',
      status: 403,
    });
    await expect(customerLogin({ email, password: 'a wrong password' })).rejects.toMatchObject({ status: 401 });
    await expect(cancelReset(requester, campaign.id)).rejects.toMatchObject({ code: 'not_pending' });

    const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL! });
    await runner.start();
    await until(
      async () => (await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).status === 'COMPLETED',
      60_000,
      100,
    );
    await runner.stop();
    const done = await getReset(approver, campaign.id);
    expect(done).toMatchObject({ processedCount: directory, mailedCount: directory, progress: 1 });
    expect(await db.customer.count({ where: { mustResetPassword: true } })).toBe(directory);
    expect(await db.resetToken.count({ where: { campaignId: campaign.id } })).toBe(directory);
    // Sessions are revoked by one column of each customer row, not one write per session.
    expect(await db.customer.count({ where: { sessionsRevokedBefore: approved.effectiveAt } })).toBe(directory);

    await until(async () => (await sinkCount()) === directory, 60_000, 100);
    const perCustomer = await sql<{ n: number; rcpt: number }>(
      `SELECT count(*)::int AS n, max(array_length("rcptTo", 1))::int AS rcpt FROM "SinkMessage" GROUP BY "headerTo"`,
    );
    expect(perCustomer).toHaveLength(directory);
    expect(perCustomer.every((r) => r.n === 1 && r.rcpt === 1)).toBe(true);
    expect(await duplicateMessageIds()).toBe(0);

    const [mail] = await sql<{ raw: string }>(`SELECT raw FROM "SinkMessage" WHERE "headerTo" = $1`, [email]);
    const token = /\/account\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))?.[1];
    expect(token).toBeDefined();
    await expect(resetCustomerPassword({ token, newPassword: 'CorrectHorseBatteryStaple' })).rejects.toThrow(/common/);
    await expect(resetCustomerPassword({ token, newPassword: 'short' })).rejects.toThrow(/12 characters/);
    // A customer whose login is paused by guessing can still use the link, and it lifts the pause.
    await sql(`UPDATE "Customer" SET "loginLockedUntil" = now() + interval '1 hour' WHERE email = $1`, [email]);
    await expect(customerLogin({ email, password: OLD_PASSWORD })).rejects.toMatchObject({ status: 429 });
    await resetCustomerPassword({ token, newPassword: 'a brand new passphrase 2026' });
    await expect(resetCustomerPassword({ token, newPassword: 'another new passphrase 2026' })).rejects.toMatchObject({
      code: 'invalid_token',
    });
    const login = await customerLogin({ email, password: 'a brand new passphrase 2026' });
    expect(await checkCustomerSession(login.sessionToken)).toMatchObject({ email });
    await expect(customerLogin({ email, password: OLD_PASSWORD })).rejects.toMatchObject({ status: 401 });
    // Everyone else is still required to reset.
    await expect(customerLogin({ email: 'c43@customers.example', password: OLD_PASSWORD })).rejects.toThrow(
      PasswordResetRequired,
    );
  }, 180_000);

  it('a customer row revokes every session created before its sessionsRevokedBefore, whatever the campaigns say', async () => {
    await seedCustomers(1, { prefix: 'fresh' });
    await sql(`UPDATE "Customer" SET "credentialsChangedAt" = now() WHERE email = 'fresh1@customers.example'`); // after every campaign
    const { sessionToken } = await customerLogin({ email: 'fresh1@customers.example', password: OLD_PASSWORD });
    expect(await checkCustomerSession(sessionToken)).toMatchObject({ email: 'fresh1@customers.example' });
    await sql(
      `UPDATE "Customer" SET "sessionsRevokedBefore" = now() + interval '1 second' WHERE email = 'fresh1@customers.example'`,
    );
    await expect(checkCustomerSession(sessionToken)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(/revoked/),
    });
    // A session created after the revocation instant works.
    await sql(
      `UPDATE "Customer" SET "sessionsRevokedBefore" = now() - interval '1 second' WHERE email = 'fresh1@customers.example'`,
    );
    const again = await customerLogin({ email: 'fresh1@customers.example', password: OLD_PASSWORD });
    expect(await checkCustomerSession(again.sessionToken)).toMatchObject({ email: 'fresh1@customers.example' });
  });
});
