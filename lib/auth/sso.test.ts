// Staff single sign-on: who an ID token's claims make a person, and what refuses them. The OAuth
// flow itself (discovery, PKCE, the ID token's signature) runs against a real provider in
// e2e/sso.spec.ts; here the verified claims arrive as next-auth hands them over.
const ISSUER = 'https://idp.example.com/realms/exchange';
// Read by config() on first use.
process.env.OIDC_ISSUER = ISSUER;
process.env.OIDC_CLIENT_ID = 'firebreak';
process.env.OIDC_CLIENT_SECRET = 'secret';
process.env.OIDC_ROLE_CLAIM = 'realm_access.roles';
process.env.OIDC_ROLE_MAP = 'fb-admin=ADMIN,fb-security=SECURITY,fb-comms=COMMS,fb-exec=EXECUTIVE';

import { describe, expect, it } from 'vitest';
import { authenticateStaff } from '@/lib/auth/login';
import { sessionStillValid } from '@/lib/auth/session';
import { claimValues, roleFromClaims, signInWithSso } from '@/lib/auth/sso';
import { actorFromBearer, createApiToken } from '@/lib/auth/tokens';
import { db } from '@/lib/db';
import { declareIncident } from '@/lib/incidents';
import { approveReset, requestReset } from '@/lib/resets';
import { disableStaff } from '@/lib/staff';
import { seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';

let n = 0;
const person = (roles: unknown, extra: Record<string, unknown> = {}) => {
  n++;
  return {
    sub: `subject-${n}-${Math.random().toString(36).slice(2, 8)}`,
    email: `Person${n}@Corp.Example`,
    email_verified: true,
    name: `Person ${n}`,
    realm_access: { roles },
    ...extra,
  };
};

const refusals = (sub: string) =>
  db.auditEvent.findMany({ where: { action: 'staff.sso_refused', data: { path: ['sub'], equals: sub } } });

describe('the role from the claim', () => {
  const map = new Map([
    ['fb-admin', 'ADMIN'],
    ['fb-comms', 'COMMS'],
    ['fb-exec', 'EXECUTIVE'],
  ] as const);

  it('reads a string or a list at a dotted path, and nothing else', () => {
    expect(claimValues({ groups: 'a' }, 'groups')).toEqual(['a']);
    expect(claimValues({ groups: ['a', 1, null, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(claimValues({ realm_access: ['x'] }, 'realm_access.roles')).toEqual([]);
    expect(claimValues({}, 'groups')).toEqual([]);
  });

  it('the most powerful mapped role wins; unmapped values give none', () => {
    expect(roleFromClaims({ g: ['fb-exec', 'fb-comms'] }, 'g', new Map(map))).toBe('COMMS');
    expect(roleFromClaims({ g: ['fb-comms', 'fb-admin'] }, 'g', new Map(map))).toBe('ADMIN');
    expect(roleFromClaims({ g: ['FB-ADMIN', 'fb-admin '] }, 'g', new Map(map))).toBeNull();
    expect(roleFromClaims({ g: 'engineering' }, 'g', new Map(map))).toBeNull();
  });
});

describe('signing in with the provider', () => {
  it('the first sign-in creates an account keyed by issuer and subject; the next finds it, following the role and email', async () => {
    const claims = person(['engineering', 'fb-security']);
    const first = await signInWithSso(claims);
    expect(first).toMatchObject({
      ok: true,
      actor: { role: 'SECURITY', email: claims.email.toLowerCase(), via: 'session' },
    });
    if (!first.ok) return;
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: first.actor.id } });
    expect(row).toMatchObject({ ssoIssuer: ISSUER, ssoSubject: claims.sub, role: 'SECURITY' });
    // No one knows its password: a local sign-in with anything fails.
    expect(await authenticateStaff({ email: row.email, password: claims.sub })).toMatchObject({ ok: false });

    const again = await signInWithSso({
      ...claims,
      email: 'renamed@corp.example',
      realm_access: { roles: ['fb-exec'] },
    });
    expect(again).toMatchObject({
      ok: true,
      actor: { id: first.actor.id, role: 'EXECUTIVE', email: 'renamed@corp.example' },
    });
    const changed = await db.auditEvent.findFirstOrThrow({
      where: { action: 'staff.role_changed', targetId: first.actor.id },
    });
    expect(changed.data).toMatchObject({ from: 'SECURITY', to: 'EXECUTIVE', via: 'sso' });
    expect(await db.staffUser.count({ where: { ssoSubject: claims.sub } })).toBe(1);
  });

  it('the same subject at another issuer is another person', async () => {
    const claims = person(['fb-comms']);
    const here = await signInWithSso(claims);
    await db.staffUser.create({
      data: {
        email: 'other-idp@corp.example',
        name: 'x',
        role: 'ADMIN',
        passwordHash: 'x',
        ssoIssuer: 'https://other.example',
        ssoSubject: claims.sub,
      },
    });
    const again = await signInWithSso(claims);
    expect(here.ok && again.ok && again.actor.id === here.actor.id && again.actor.role === 'COMMS').toBe(true);
  });

  it('no mapped role: refused, audited, no account, and a former member’s open sessions end', async () => {
    const claims = person(['engineering']);
    expect(await signInWithSso(claims)).toEqual({ ok: false, reason: 'no_role' });
    expect(await db.staffUser.count({ where: { ssoSubject: claims.sub } })).toBe(0);
    expect((await refusals(claims.sub))[0]?.data).toMatchObject({ reason: 'no_role', values: ['engineering'] });

    const member = person(['fb-admin']);
    const signedIn = await signInWithSso(member);
    if (!signedIn.ok) throw new Error('expected a sign-in');
    const { token } = await createApiToken(signedIn.actor, { name: 'their automation' });
    expect(await actorFromBearer(token)).toMatchObject({ role: 'ADMIN' });
    const sessionStart = Date.now() - 1;
    expect(await signInWithSso({ ...member, realm_access: { roles: [] } })).toEqual({ ok: false, reason: 'no_role' });
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: signedIn.actor.id } });
    expect(sessionStillValid(row, sessionStart)).toBe(false);
    expect(await actorFromBearer(token)).toBeNull(); // the role it acted with was taken away
    expect(row.role).toBe('ADMIN'); // the account stays, as it was; nothing it held still works
  });

  it('a disabled account is refused, whatever the provider says', async () => {
    const admin = await staffActor('ADMIN');
    const claims = person(['fb-security']);
    const first = await signInWithSso(claims);
    if (!first.ok) throw new Error('expected a sign-in');
    await disableStaff(admin, { email: first.actor.email, reason: 'Left the company.' });
    expect(await signInWithSso(claims)).toEqual({ ok: false, reason: 'disabled' });
  });

  it('an email a local account uses is not taken over, on the first sign-in or by a later change', async () => {
    const local = await staffActor('ADMIN');
    const squatter = person(['fb-admin'], { email: local.email.toUpperCase() });
    expect(await signInWithSso(squatter)).toEqual({ ok: false, reason: 'email_in_use' });
    expect(await db.staffUser.count({ where: { ssoSubject: squatter.sub } })).toBe(0);

    const claims = person(['fb-comms']);
    const first = await signInWithSso(claims);
    expect(first.ok).toBe(true);
    expect(await signInWithSso({ ...claims, email: local.email })).toEqual({ ok: false, reason: 'email_in_use' });
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: local.id } });
    expect(row).toMatchObject({ ssoSubject: null, role: 'ADMIN', name: local.name });
  });

  it('claims without a subject or a usable email, or with an unverified email, are refused', async () => {
    for (const [claims, reason] of [
      [{ ...person(['fb-admin']), sub: '' }, 'invalid_claims'],
      [{ ...person(['fb-admin']), email: 'not an email' }, 'invalid_claims'],
      [{ ...person(['fb-admin']), email: undefined }, 'invalid_claims'],
      [person(['fb-admin'], { email_verified: false }), 'email_unverified'],
    ] as const) {
      expect(await signInWithSso(claims as Record<string, unknown>)).toEqual({ ok: false, reason });
    }
  });

  it('two first sign-ins of one person at once make one account', async () => {
    const claims = person(['fb-security']);
    const results = await Promise.all([signInWithSso(claims), signInWithSso(claims), signInWithSso(claims)]);
    const ids = new Set(results.map((r) => (r.ok ? r.actor.id : r.reason)));
    expect(ids.size).toBe(1);
    expect(await db.staffUser.count({ where: { ssoSubject: claims.sub } })).toBe(1);
  });
});

describe('two-person rules treat SSO identities like local ones', () => {
  it('an SSO requester cannot approve their own reset; another SSO person can', async () => {
    await seedCustomers(1, { prefix: `sso${Math.random().toString(36).slice(2, 8)}` });
    const requesterClaims = person(['fb-security']);
    const requester = await signInWithSso(requesterClaims);
    const approver = await signInWithSso(person(['fb-security']));
    if (!requester.ok || !approver.ok) throw new Error('expected sign-ins');
    const incident = await declareIncident(requester.actor, BREACH);
    const campaign = await requestReset(requester.actor, incident.id, { scope: 'ALL' });
    // The same person again, freshly signed in through the provider, is still the requester.
    const sameAgain = await signInWithSso(requesterClaims);
    if (!sameAgain.ok) throw new Error('expected a sign-in');
    await expect(approveReset(sameAgain.actor, campaign.id)).rejects.toMatchObject({ code: 'self_approval' });
    const approved = await approveReset(approver.actor, campaign.id);
    expect(approved.approvedById).toBe(approver.actor.id);
  });
});
