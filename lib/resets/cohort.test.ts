import { describe, expect, it } from 'vitest';
import { customerLogin, PasswordResetRequired } from '@/lib/customers/auth';
import { db } from '@/lib/db';
import { Forbidden } from '@/lib/errors';
import { declareIncident, updateIncident } from '@/lib/incidents';
import { approveReset, cancelReset, countCohort, markAffected, requestReset } from '@/lib/resets';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';

describe('cohorts', () => {
  it('affected customers are named by external id or by email address (any case); unknown names are counted, not added', async () => {
    await seedCustomers(5, { prefix: 'named' });
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, BREACH);
    expect(
      await markAffected(
        security,
        incident.id,
        ['named1', 'nobody-has-this-id'],
        ['NAMED2@Customers.Example', 'x@nowhere.example'],
      ),
    ).toEqual({
      added: 2,
      matched: 2,
      unknown: 2,
      unknownSample: ['nobody-has-this-id', 'x@nowhere.example'],
    });
    // Again, with one already marked: matched counts it, added does not.
    expect(await markAffected(security, incident.id, ['named1', 'named3', 'named3'])).toEqual({
      added: 1,
      matched: 2,
      unknown: 0,
      unknownSample: [],
    });
    const marked = await db.incidentAffectedCustomer.findMany({ where: { incidentId: incident.id } });
    const customers = await db.customer.findMany({ where: { id: { in: marked.map((m) => m.customerId) } } });
    expect(customers.map((c) => c.externalId).sort()).toEqual(['named1', 'named2', 'named3']);
    await expect(markAffected(security, incident.id, [], [])).rejects.toMatchObject({ status: 400 });
    await expect(markAffected(await staffActor('COMMS'), incident.id, ['named4'])).rejects.toThrow(Forbidden);
  });

  it('select exactly the right customers', async () => {
    await seedCustomers(120, { prefix: 'k', twoFactorEvery: 3, balanceEvery: 2 });
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, BREACH);
    await markAffected(
      security,
      incident.id,
      Array.from({ length: 40 }, (_, i) => `k${i + 1}`),
    );
    const count = (scope: 'ALL' | 'AFFECTED', onlyWithout2fa: boolean, onlyWithBalance: boolean) =>
      db.$transaction((tx) => countCohort(tx, { incidentId: incident.id, scope, onlyWithout2fa, onlyWithBalance }));
    const all = await db.customer.count({ where: { status: 'ACTIVE' } });
    const among = (n: number, f: (g: number) => boolean) => Array.from({ length: n }, (_, i) => i + 1).filter(f).length;
    expect(await count('ALL', false, false)).toBe(all);
    expect(await count('AFFECTED', false, false)).toBe(40);
    expect(await count('AFFECTED', true, false)).toBe(among(40, (g) => g % 3 !== 0));
    expect(await count('AFFECTED', false, true)).toBe(among(40, (g) => g % 2 === 0));
    expect(await count('AFFECTED', true, true)).toBe(among(40, (g) => g % 3 !== 0 && g % 2 === 0));
    // And the switch honours the same predicate: k2 (balance, no 2FA) is in, k3 (2FA) is not.
    const campaign = await requestReset(security, incident.id, {
      scope: 'AFFECTED',
      onlyWithout2fa: true,
      onlyWithBalance: true,
      sendMail: false,
    });
    expect(campaign.targetCount).toBe(among(40, (g) => g % 3 !== 0 && g % 2 === 0));
    await approveReset(await staffActor('ADMIN'), campaign.id);
    await expect(customerLogin({ email: 'k2@customers.example', password: OLD_PASSWORD })).rejects.toThrow(
      PasswordResetRequired,
    );
    expect(await customerLogin({ email: 'k3@customers.example', password: OLD_PASSWORD })).toHaveProperty(
      'sessionToken',
    );
    expect(await customerLogin({ email: 'k41@customers.example', password: OLD_PASSWORD })).toHaveProperty(
      'sessionToken',
    );
  });

  it('COMMS and EXECUTIVE cannot request, and a pending request can be cancelled', async () => {
    await seedCustomers(2, { prefix: 'cancel' });
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, BREACH);
    for (const role of ['COMMS', 'EXECUTIVE'] as const) {
      await expect(requestReset(await staffActor(role), incident.id, { scope: 'ALL' })).rejects.toThrow(Forbidden);
    }
    const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
    expect(await cancelReset(security, campaign.id)).toMatchObject({ status: 'CANCELLED' });
    await expect(approveReset(await staffActor('ADMIN'), campaign.id)).rejects.toMatchObject({ code: 'not_pending' });
  });
});

describe('a closed incident', () => {
  it('takes no reset approval and no affected customers (409 incident_closed), and nothing changes', async () => {
    await seedCustomers(2, { prefix: 'closed' });
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, BREACH);
    const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
    await updateIncident(security, incident.id, { status: 'CLOSED' });
    await expect(approveReset(await staffActor('ADMIN'), campaign.id)).rejects.toMatchObject({
      code: 'incident_closed',
      status: 409,
    });
    await expect(markAffected(security, incident.id, ['closed1'])).rejects.toMatchObject({
      code: 'incident_closed',
      status: 409,
    });
    expect(await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      status: 'PENDING_APPROVAL',
      effectiveAt: null,
    });
    expect(await db.incidentAffectedCustomer.count({ where: { incidentId: incident.id } })).toBe(0);
  });
});

describe('fan-out partitions', () => {
  it('cut the uuid space into contiguous, non-overlapping slices', async () => {
    const { partitions } = await import('@/lib/resets');
    expect(partitions(1)).toEqual([{ lowerId: '00000000-0000-0000-0000-000000000000', upperId: null }]);
    const four = partitions(4);
    expect(four.map((p) => p.lowerId.slice(0, 8))).toEqual(['00000000', '40000000', '80000000', 'c0000000']);
    for (let i = 0; i < 3; i++) expect(four[i].upperId).toBe(four[i + 1].lowerId);
    expect(four[3].upperId).toBeNull();
  });
});
