// Two-person rules that one insider must not be able to satisfy alone (DESIGN invariant 4): the
// attacks first, as they were reproduced against the console, then what still works.
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '@/lib/audit/verify';
import { systemActor } from '@/lib/auth/actor';
import { actorFromBearer, createApiToken } from '@/lib/auth/tokens';
import { resetStaffTotp } from '@/lib/auth/totp';
import { db } from '@/lib/db';
import { declareIncident } from '@/lib/incidents';
import { approveReset, requestReset } from '@/lib/resets';
import { createStaff } from '@/lib/staff';
import { seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';
import { databaseFingerprint } from '../../test/sql';

const PASSWORD = 'a long enough password 1';

async function pendingReset() {
  await seedCustomers(1, { prefix: `two${Math.random().toString(36).slice(2, 8)}` });
  const requester = await staffActor('ADMIN');
  const incident = await declareIncident(requester, BREACH);
  const campaign = await requestReset(requester, incident.id, { scope: 'ALL' });
  return { requester, campaign };
}

const sessionOf = (user: {
  id: string;
  email: string;
  name: string;
  role: 'ADMIN' | 'SECURITY' | 'COMMS' | 'EXECUTIVE';
}) => ({ kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' }) as const;

describe('one insider cannot be both people of a reset', () => {
  it('an ADMIN cannot mint a token for another staff member (to approve in their name)', async () => {
    const admin = await staffActor('ADMIN');
    const colleague = await staffActor('SECURITY');
    const before = await databaseFingerprint();
    await expect(createApiToken(admin, { ownerEmail: colleague.email, name: 'approve as them' })).rejects.toMatchObject(
      { code: 'token_for_other', status: 403 },
    );
    expect(await databaseFingerprint()).toEqual(before);
  });

  it('a token cannot mint another token', async () => {
    const security = await staffActor('SECURITY');
    const { token } = await createApiToken(security, { name: 'automation' });
    const viaToken = (await actorFromBearer(token))!;
    await expect(createApiToken(viaToken, { name: 'second' })).rejects.toMatchObject({ code: 'session_required' });
  });

  it('an approval through an API token is refused, even of a different person', async () => {
    const { campaign } = await pendingReset();
    const colleague = await staffActor('SECURITY');
    const { token } = await createApiToken(colleague, { name: 'their automation' });
    await expect(approveReset((await actorFromBearer(token))!, campaign.id)).rejects.toMatchObject({
      code: 'approval_requires_session',
      status: 403,
    });
    await expect(approveReset(systemActor('cli'), campaign.id)).rejects.toMatchObject({
      code: 'approval_requires_session',
    });
    expect((await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('PENDING_APPROVAL');
  });

  it('a puppet account the requester just created cannot approve', async () => {
    const { requester, campaign } = await pendingReset();
    const { user } = await createStaff(requester, {
      email: 'puppet@test.local',
      name: 'Puppet',
      role: 'SECURITY',
      password: PASSWORD,
    });
    await expect(approveReset(sessionOf(user), campaign.id)).rejects.toMatchObject({
      code: 'approver_not_independent',
      status: 403,
    });
    expect((await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('PENDING_APPROVAL');
  });

  it('an approver whose two-factor sign-in the requester just reset cannot approve', async () => {
    const { requester, campaign } = await pendingReset();
    const colleague = await staffActor('SECURITY');
    await resetStaffTotp(requester, { email: colleague.email });
    await expect(approveReset(colleague, campaign.id)).rejects.toMatchObject({ code: 'approver_not_independent' });
  });

  it('the maker of the requester cannot approve for its puppet (the reverse direction)', async () => {
    await seedCustomers(1, { prefix: 'reverse' });
    const insider = await staffActor('ADMIN');
    const { user } = await createStaff(insider, {
      email: 'puppet-requester@test.local',
      name: 'Puppet',
      role: 'SECURITY',
      password: PASSWORD,
    });
    const puppet = sessionOf(user);
    const incident = await declareIncident(puppet, BREACH);
    const campaign = await requestReset(puppet, incident.id, { scope: 'ALL' });
    await expect(approveReset(insider, campaign.id)).rejects.toMatchObject({ code: 'approver_not_independent' });
  });

  it('two puppets of one maker, or a puppet of a puppet, are not two people', async () => {
    await seedCustomers(1, { prefix: 'puppets' });
    const insider = await staffActor('ADMIN');
    const make = async (maker: Parameters<typeof createStaff>[0], email: string, role: 'ADMIN' | 'SECURITY') =>
      sessionOf((await createStaff(maker, { email, name: email, role, password: PASSWORD })).user);
    const first = await make(insider, 'p1@test.local', 'ADMIN');
    const second = await make(insider, 'p2@test.local', 'SECURITY');
    const grandchild = await make(first, 'p3@test.local', 'SECURITY');
    const incident = await declareIncident(first, BREACH);
    const byFirst = await requestReset(first, incident.id, { scope: 'ALL' });
    await expect(approveReset(second, byFirst.id)).rejects.toMatchObject({ code: 'approver_not_independent' });
    const byInsider = await requestReset(insider, incident.id, { scope: 'ALL' });
    await expect(approveReset(grandchild, byInsider.id)).rejects.toMatchObject({ code: 'approver_not_independent' });
  });

  it('a request by an account disabled since then cannot be approved', async () => {
    const { requester, campaign } = await pendingReset();
    await db.staffUser.update({ where: { id: requester.id }, data: { disabledAt: new Date() } });
    await expect(approveReset(await staffActor('SECURITY'), campaign.id)).rejects.toMatchObject({
      code: 'requester_disabled',
    });
  });

  it('the requester cannot approve their own reset', async () => {
    const { requester, campaign } = await pendingReset();
    await expect(approveReset(requester, campaign.id)).rejects.toMatchObject({ code: 'self_approval' });
  });

  it('an independent second person, signed in, approves; any role may create a token for itself', async () => {
    const { campaign } = await pendingReset();
    const colleague = await staffActor('SECURITY'); // created by the system, not by the requester
    expect(await approveReset(colleague, campaign.id)).toMatchObject({ status: 'RUNNING', approvedById: colleague.id });
    const comms = await staffActor('COMMS');
    const own = await createApiToken(comms, { name: 'status bot' });
    expect(own).toMatchObject({ owner: comms.email, role: 'COMMS' });
    expect(own.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000); // 90 days by default
  });
});

describe('how an action arrived is in the hashed audit content', () => {
  it('a session, or the id of the token, is recorded with each staff action; the chain verifies', async () => {
    const security = await staffActor('SECURITY');
    const { id: tokenId, token } = await createApiToken(security, { name: 'automation' });
    const bySession = await declareIncident(security, {
      title: 'By session',
      kind: 'OTHER',
      severity: 'SEV4',
      summary: 's',
    });
    const byToken = await declareIncident((await actorFromBearer(token))!, {
      title: 'By token',
      kind: 'OTHER',
      severity: 'SEV4',
      summary: 's',
    });
    const data = async (id: string) =>
      (await db.auditEvent.findFirstOrThrow({ where: { action: 'incident.declared', targetId: id } })).data;
    expect(await data(bySession.id)).toMatchObject({ via: { kind: 'session' } });
    expect(await data(byToken.id)).toMatchObject({ via: { kind: 'token', tokenId } });
    expect(await verifyAuditChain(process.env.DATABASE_URL!)).toMatchObject({ ok: true });
  });
});
