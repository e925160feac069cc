// An import that changes existing customers' email or password hash: asked for explicitly, held
// until a second, independent person approves in a session, then applied with the customer's
// credentials marked changed and their sessions revoked; a customer changed meanwhile is left alone.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { CustomerUnauthenticated, checkCustomerSession, customerLogin } from '@/lib/customers/auth';
import {
  approveCredentialChanges,
  cancelCredentialChanges,
  getCredentialChanges,
} from '@/lib/customers/credential-changes';
import { ImportRowError, importCustomers } from '@/lib/customers/import';
import { db } from '@/lib/db';
import { declaredIncident, staffActor } from '../../test/fixtures';
import { databaseFingerprint, sql } from '../../test/sql';

const from = (text: string) => Readable.from([text]);
const OLD = 'the old password of this customer';
let n = 0;

/** An existing customer with a password and a live session. */
async function customerWithSession() {
  const id = `cc${++n}`;
  const security = await staffActor('SECURITY');
  await importCustomers(
    security,
    from(`${JSON.stringify({ externalId: id, email: `${id}@example.com`, passwordHash: await hashPassword(OLD) })}\n`),
    'jsonl',
  );
  const { sessionToken } = await customerLogin({ email: `${id}@example.com`, password: OLD });
  return { id, email: `${id}@example.com`, sessionToken };
}

async function requestChange(rows: object[], reason = 'directory migration from the old auth service') {
  const requester = await staffActor('SECURITY');
  const result = await importCustomers(requester, from(rows.map((row) => JSON.stringify(row)).join('\n')), 'jsonl', {
    requestCredentialChanges: { reason },
  });
  return { requester, result };
}

describe('credential changes from an import', () => {
  it('are held for approval while the rest of the import applies; the customer is untouched and the audit names them', async () => {
    const victim = await customerWithSession();
    const newHash = await hashPassword('a new password set by the exchange');
    const { result } = await requestChange([
      { externalId: victim.id, email: 'moved@example.com', passwordHash: newHash, hasBalance: true },
      { externalId: 'brand-new', email: 'brand-new@example.com' },
    ]);
    expect(result).toMatchObject({
      rows: 2,
      created: 1,
      updated: 1,
      credentialChanges: { customers: 1, email: 1, passwordHash: 1 },
    });
    const customer = await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } });
    expect(customer).toMatchObject({ email: victim.email, hasBalance: true }); // non-credential field applied
    expect(await checkCustomerSession(victim.sessionToken)).toBeTruthy();
    expect(await getCredentialChanges(await staffActor('ADMIN'), result.credentialChanges!.requestId)).toMatchObject({
      status: 'PENDING_APPROVAL',
      changes: [
        { externalId: victim.id, line: 1, oldEmail: victim.email, newEmail: 'moved@example.com', passwordHash: true },
      ],
    });
    const [event] = await db.auditEvent.findMany({ where: { action: 'customers.credential_change_requested' } });
    expect(event.data).toMatchObject({
      reason: 'directory migration from the old auth service',
      customers: [{ externalId: victim.id, fields: ['email', 'passwordHash'] }],
    });
  });

  it('cannot be approved by the requester, with an API token, or by COMMS; nothing changes', async () => {
    const victim = await customerWithSession();
    const { requester, result } = await requestChange([{ externalId: victim.id, email: 'thief@evil.example' }]);
    const id = result.credentialChanges!.requestId;
    const [security, comms] = [await staffActor('SECURITY'), await staffActor('COMMS')];
    const before = await databaseFingerprint();
    await expect(approveCredentialChanges(requester, id)).rejects.toMatchObject({ code: 'self_approval', status: 403 });
    await expect(approveCredentialChanges({ ...security, via: 'token', tokenId: 'x' }, id)).rejects.toMatchObject({
      code: 'approval_requires_session',
    });
    await expect(approveCredentialChanges(comms, id)).rejects.toMatchObject({ status: 403 });
    expect(await databaseFingerprint()).toEqual(before);
  });

  it('approved by a second person: applied, credentials marked changed, old sessions and password stop working, the new ones work', async () => {
    const victim = await customerWithSession();
    const NEW = 'a new password set by the exchange';
    const { result } = await requestChange([
      { externalId: victim.id, email: 'renamed@example.com', passwordHash: await hashPassword(NEW) },
    ]);
    const before = await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } });
    const approved = await approveCredentialChanges(await staffActor('ADMIN'), result.credentialChanges!.requestId);
    expect(approved).toMatchObject({ status: 'APPLIED', appliedCount: 1, staleCount: 0 });
    const after = await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } });
    expect(after.email).toBe('renamed@example.com');
    expect(after.credentialsChangedAt.getTime()).toBeGreaterThan(before.credentialsChangedAt.getTime());
    await expect(checkCustomerSession(victim.sessionToken)).rejects.toThrow(CustomerUnauthenticated);
    await expect(customerLogin({ email: 'renamed@example.com', password: OLD })).rejects.toThrow();
    await expect(customerLogin({ email: 'renamed@example.com', password: NEW })).resolves.toMatchObject({
      customerId: after.id,
    });
    const [event] = await db.auditEvent.findMany({ where: { action: 'customers.credentials_changed' } });
    expect(event.data).toMatchObject({
      applied: 1,
      stale: 0,
      sessionsRevoked: true,
      customers: [{ externalId: victim.id, fields: ['email', 'passwordHash'] }],
    });
  });

  it('an email-only change does not lift a pending reset: the links mailed to the old address stop, the next refusal mails the new one', async () => {
    const { approveReset, requestReset } = await import('@/lib/resets');
    const { createResetRunner } = await import('@/lib/resets/fanout');
    const { PasswordResetRequired } = await import('@/lib/customers/auth');
    const { until } = await import('../../test/until');
    const victim = await customerWithSession();
    const { security, incident } = await declaredIncident();
    const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL!, pollMs: 20 });
    await runner.start();
    await until(
      async () =>
        (await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).status === 'COMPLETED' || null,
      30_000,
    );
    await runner.stop();
    const mailTo = async (address: string) => db.mailMessage.count({ where: { to: address, campaignId: campaign.id } });
    expect(await mailTo(victim.email)).toBe(1);

    const { result } = await requestChange([{ externalId: victim.id, email: 'new-address@example.com' }]);
    await approveCredentialChanges(await staffActor('ADMIN'), result.credentialChanges!.requestId);
    const customer = await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } });
    expect(
      await db.resetToken.count({ where: { customerId: customer.id, usedAt: null, expiresAt: { gt: new Date() } } }),
    ).toBe(0);
    await expect(customerLogin({ email: 'new-address@example.com', password: OLD })).rejects.toThrow(
      PasswordResetRequired,
    );
    expect(await mailTo('new-address@example.com')).toBe(1);
    expect(
      await db.resetToken.count({ where: { customerId: customer.id, usedAt: null, expiresAt: { gt: new Date() } } }),
    ).toBe(1);
  });

  it('leaves alone a customer whose credentials changed after the import (counted stale)', async () => {
    const victim = await customerWithSession();
    const { result } = await requestChange([{ externalId: victim.id, email: 'late@example.com' }]);
    await sql(`UPDATE "Customer" SET "credentialsChangedAt" = now() WHERE "externalId" = $1`, [victim.id]); // e.g. a password reset
    expect(
      await approveCredentialChanges(await staffActor('ADMIN'), result.credentialChanges!.requestId),
    ).toMatchObject({ appliedCount: 0, staleCount: 1 });
    expect((await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } })).email).toBe(victim.email);
  });

  it('cancelled: nothing applied, and it can no longer be approved', async () => {
    const victim = await customerWithSession();
    const { requester, result } = await requestChange([{ externalId: victim.id, email: 'never@example.com' }]);
    const id = result.credentialChanges!.requestId;
    expect(await cancelCredentialChanges(requester, id)).toMatchObject({ status: 'CANCELLED' });
    await expect(approveCredentialChanges(await staffActor('ADMIN'), id)).rejects.toMatchObject({
      code: 'not_pending',
      status: 409,
    });
    expect((await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } })).email).toBe(victim.email);
  });

  it('two approvals at once apply once: one wins, the other is told it is no longer pending (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const victim = await customerWithSession();
      const { result } = await requestChange([{ externalId: victim.id, email: `race${round}@example.com` }]);
      const id = result.credentialChanges!.requestId;
      const outcomes = await Promise.allSettled([
        approveCredentialChanges(await staffActor('ADMIN'), id),
        approveCredentialChanges(await staffActor('SECURITY'), id),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'not_pending' } });
      expect(await db.auditEvent.count({ where: { action: 'customers.credentials_changed', targetId: id } })).toBe(1);
    }
  });

  it('a request needs a reason; one without changes creates no request', async () => {
    const security = await staffActor('SECURITY');
    await expect(
      importCustomers(security, from('{"externalId":"r1","email":"r1@example.com"}\n'), 'jsonl', {
        requestCredentialChanges: { reason: ' ' },
      }),
    ).rejects.toMatchObject({ status: 400 });
    expect(
      await importCustomers(security, from('{"externalId":"r1","email":"r1@example.com"}\n'), 'jsonl', {
        requestCredentialChanges: { reason: 'nothing to change' },
      }),
    ).toMatchObject({ credentialChanges: null });
    expect(await db.credentialChangeRequest.count({ where: { reason: 'nothing to change' } })).toBe(0);
  });
});

describe('one customer per address', () => {
  it("an import refuses an address twice in the file, or another customer's (new or as a change), naming the line", async () => {
    const security = await staffActor('SECURITY');
    await importCustomers(
      security,
      from('externalId,email\nowner,owner@example.com\nother,other@example.com\n'),
      'csv',
    );
    const before = await databaseFingerprint();
    const refusal = (text: string, options = {}) =>
      importCustomers(security, from(text), 'csv', options).catch((error) => error);
    expect(await refusal('externalId,email\na,same@example.com\nb,SAME@example.com\n')).toMatchObject({
      code: 'duplicate_email',
      line: 3,
    });
    expect(await refusal('externalId,email\nnewcomer,owner@example.com\n')).toMatchObject({
      code: 'email_taken',
      line: 2,
      message: expect.stringContaining('belongs to customer owner'),
    });
    const change = await refusal('externalId,email\nother,owner@example.com\n', {
      requestCredentialChanges: { reason: 'merge' },
    });
    expect(change).toBeInstanceOf(ImportRowError);
    expect(change).toMatchObject({ code: 'email_taken' });
    expect(await databaseFingerprint()).toEqual(before);
  });

  it('the database itself refuses a second customer with an address (whatever path writes it)', async () => {
    await sql(`INSERT INTO "Customer" (id, "externalId", email) VALUES (gen_random_uuid(), 'u-a', 'dup@example.com')`);
    await expect(
      sql(`INSERT INTO "Customer" (id, "externalId", email) VALUES (gen_random_uuid(), 'u-b', 'dup@example.com')`),
    ).rejects.toThrow(/Customer_email_key/);
  });
});

describe('what the review of credential changes found', () => {
  it('the CLI (the system, not a person) cannot request credential changes', async () => {
    const { systemActor } = await import('@/lib/auth/actor');
    const victim = await customerWithSession();
    await expect(
      importCustomers(
        systemActor('cli'),
        from(`${JSON.stringify({ externalId: victim.id, email: 'attacker@evil.example' })}\n`),
        'jsonl',
        { requestCredentialChanges: { reason: 'me, myself' } },
      ),
    ).rejects.toMatchObject({ code: 'requester_required', status: 403 });
  });

  it('an email changed away and back does not revive an older pending request', async () => {
    const victim = await customerWithSession();
    const { result: first } = await requestChange([{ externalId: victim.id, email: 'evil@evil.example' }]);
    const { result: away } = await requestChange([{ externalId: victim.id, email: 'tmp@example.com' }]);
    await approveCredentialChanges(await staffActor('ADMIN'), away.credentialChanges!.requestId);
    const { result: back } = await requestChange([{ externalId: victim.id, email: victim.email }]);
    await approveCredentialChanges(await staffActor('ADMIN'), back.credentialChanges!.requestId);
    expect(await approveCredentialChanges(await staffActor('ADMIN'), first.credentialChanges!.requestId)).toMatchObject(
      { appliedCount: 0, staleCount: 1 },
    );
    expect((await db.customer.findUniqueOrThrow({ where: { externalId: victim.id } })).email).toBe(victim.email);
  });

  it('an address another customer took since the request is left alone (stale), not a 500', async () => {
    const victim = await customerWithSession();
    const { result } = await requestChange([{ externalId: victim.id, email: 'contested@example.com' }]);
    await importCustomers(
      await staffActor('SECURITY'),
      from('{"externalId":"taker","email":"contested@example.com"}\n'),
      'jsonl',
    );
    expect(
      await approveCredentialChanges(await staffActor('ADMIN'), result.credentialChanges!.requestId),
    ).toMatchObject({ appliedCount: 0, staleCount: 1 });
  });

  it('a login whose password check overlaps an approved change gets no session', async () => {
    const victim = await customerWithSession();
    const { result } = await requestChange([
      {
        externalId: victim.id,
        passwordHash: await hashPassword('the new one, set by the exchange'),
        email: victim.email,
      },
    ]);
    const login = customerLogin({ email: victim.email, password: OLD }); // reads the old hash, then verifies it (argon2: ms)
    await approveCredentialChanges(await staffActor('ADMIN'), result.credentialChanges!.requestId);
    const outcome = await login.then(
      (r) => r,
      (e) => e,
    );
    if ('sessionToken' in outcome) {
      // The login finished before the approval: its session is revoked by it.
      await expect(checkCustomerSession(outcome.sessionToken)).rejects.toThrow(CustomerUnauthenticated);
    } else {
      expect(outcome).toBeInstanceOf(CustomerUnauthenticated);
    }
  });
});
