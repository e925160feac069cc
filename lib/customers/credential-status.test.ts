// The credential-status API answers what the reference login decides, from the instant a reset is
// approved; a scoped token can ask it and nothing else.
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { actorFromBearer, createApiToken } from '@/lib/auth/tokens';
import { customerLogin, PasswordResetRequired, resetCustomerPassword } from '@/lib/customers/auth';
import { credentialStatus, credentialStatuses } from '@/lib/customers/credential-status';
import { Forbidden, Invalid, NotFound } from '@/lib/errors';
import { declareIncident } from '@/lib/incidents';
import { approveReset, markAffected, requestReset } from '@/lib/resets';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { staffActor } from '../../test/fixtures';
import { completedReset, linksOf } from '../../test/resets';
import { sql } from '../../test/sql';

/** What the reference login says of a customer's old password: 'valid' or 'reset_required'. */
async function loginSays(email: string) {
  try {
    await customerLogin({ email, password: OLD_PASSWORD });
    return 'valid';
  } catch (error) {
    if (error instanceof PasswordResetRequired) return 'reset_required';
    throw error;
  }
}

describe('credential status', () => {
  it('agrees with the reference login before and from the instant a reset of the affected customers is approved', async () => {
    await seedCustomers(4, { prefix: 'cs' });
    const executive = await staffActor('EXECUTIVE'); // any role may ask; a scoped token is the usual caller
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, {
      title: 'Leak',
      kind: 'DATA_BREACH',
      severity: 'SEV1',
      summary: 's',
    });
    await markAffected(security, incident.id, ['cs1', 'cs2']);
    const ids = ['cs1', 'cs2', 'cs3', 'cs4'];
    const statuses = async () =>
      (await credentialStatuses(executive, { externalIds: ids })).results.map((r) => r.status);
    const logins = async () => Promise.all(ids.map((id) => loginSays(`${id}@customers.example`)));

    expect(await statuses()).toEqual(['valid', 'valid', 'valid', 'valid']);
    expect(await logins()).toEqual(await statuses());

    const campaign = await requestReset(security, incident.id, { scope: 'AFFECTED' });
    expect(await statuses()).toEqual(['valid', 'valid', 'valid', 'valid']); // requested is not in effect
    const approved = await approveReset(await staffActor('ADMIN'), campaign.id); // no fan-out has run
    expect(await statuses()).toEqual(['reset_required', 'reset_required', 'valid', 'valid']);
    expect(await logins()).toEqual(await statuses());
    expect(await credentialStatus(executive, 'cs1')).toEqual({
      externalId: 'cs1',
      status: 'reset_required',
      campaign: campaign.id,
      since: approved.effectiveAt,
    });
    expect(await credentialStatus(executive, 'cs3')).toEqual({
      externalId: 'cs3',
      status: 'valid',
      campaign: null,
      since: null,
    });
  });

  it('the batch keeps the order asked, answers each id once, and lists ids that name nobody', async () => {
    await seedCustomers(2, { prefix: 'order' });
    const comms = await staffActor('COMMS');
    expect(await credentialStatuses(comms, { externalIds: ['order2', 'nobody', 'order1', 'order2'] })).toMatchObject({
      results: [
        { externalId: 'order2', status: 'valid' },
        { externalId: 'order1', status: 'valid' },
      ],
      unknown: ['nobody'],
    });
    await expect(credentialStatus(comms, 'nobody')).rejects.toThrow(NotFound);
    await expect(credentialStatuses(comms, { externalIds: [] })).rejects.toThrow(Invalid);
    await expect(
      credentialStatuses(comms, { externalIds: Array.from({ length: 1001 }, (_, i) => `order${i}`) }),
    ).rejects.toThrow(Invalid);
    expect(
      (await credentialStatuses(comms, { externalIds: Array.from({ length: 1000 }, (_, i) => `order${i}`) })).results,
    ).toHaveLength(2);
  });

  it('a customer refused without a live link gets one from the single lookup (the login path), none from the batch', async () => {
    await seedCustomers(3, { prefix: 'strand' });
    const { security, incident } = await completedReset({ scope: 'AFFECTED' }, ['strand1']);
    await markAffected(security, incident.id, ['strand2', 'strand3']); // after the fan-out passed them
    const reader = await staffActor('EXECUTIVE');
    expect((await credentialStatuses(reader, { externalIds: ['strand2'] })).results[0].status).toBe('reset_required');
    expect(await linksOf('strand2@customers.example')).toEqual({ live: 0, links: 0, mails: 0 });
    expect(await credentialStatus(reader, 'strand2')).toMatchObject({ status: 'reset_required' });
    expect(await linksOf('strand2@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });
    await credentialStatus(reader, 'strand2'); // asked again: nothing more
    expect(await linksOf('strand2@customers.example')).toEqual({ live: 1, links: 1, mails: 1 });

    // The customer sets a new password with the link mailed to them: valid again, for both.
    const [mail] = await sql<{ text: string }>(`SELECT text FROM "MailMessage" WHERE "to" = $1`, [
      'strand2@customers.example',
    ]);
    const token = /\/account\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    await resetCustomerPassword({ token, newPassword: 'a brand new passphrase 2026' });
    expect(await credentialStatus(reader, 'strand2')).toEqual({
      externalId: 'strand2',
      status: 'valid',
      campaign: null,
      since: null,
    });
    expect(
      await customerLogin({ email: 'strand2@customers.example', password: 'a brand new passphrase 2026' }),
    ).toHaveProperty('sessionToken');
  });
});

describe('a credential-status:read token', () => {
  it('asks for credential status and may do nothing else its owner could (an ADMIN here)', async () => {
    await seedCustomers(1, { prefix: 'scoped' });
    const admin = await staffActor('ADMIN');
    const { token, scope } = await createApiToken(systemActor('test'), {
      ownerEmail: admin.email,
      name: 'exchange auth service',
      scope: 'credential-status:read',
    });
    expect(scope).toBe('credential-status:read');
    const actor = await actorFromBearer(token);
    expect(actor).toMatchObject({ role: 'ADMIN', scope: 'credential-status:read' });
    expect(await credentialStatus(actor!, 'scoped1')).toMatchObject({ status: 'valid' });
    await expect(
      declareIncident(actor!, { title: 'x', kind: 'DATA_BREACH', severity: 'SEV1', summary: 's' }),
    ).rejects.toSatisfy(
      (e) =>
        e instanceof Forbidden &&
        e.message === "This token's scope (credential-status:read) may not incident: declare.",
    );
    await expect(
      createApiToken(systemActor('test'), { ownerEmail: admin.email, name: 'x', scope: 'everything' as never }),
    ).rejects.toThrow(Invalid);
    await expect(sql(`UPDATE "ApiToken" SET scope = 'admin:all' WHERE "tokenHash" IS NOT NULL`)).rejects.toThrow(
      /ApiToken_scope_known/,
    );
  });
});
