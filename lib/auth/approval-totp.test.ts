// With APPROVER_TOTP_REQUIRED, only staff with two-factor sign-in approve (read by config() on
// first use, so set before anything here reads it).
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { declareIncident } from '@/lib/incidents';
import { approveReset, requestReset } from '@/lib/resets';
import { seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';

process.env.APPROVER_TOTP_REQUIRED = 'true';

describe('APPROVER_TOTP_REQUIRED=true', () => {
  it('an approver without two-factor sign-in is refused; with it, approves', async () => {
    await seedCustomers(1, { prefix: 'totp' });
    const requester = await staffActor('SECURITY');
    const incident = await declareIncident(requester, BREACH);
    const campaign = await requestReset(requester, incident.id, { scope: 'ALL' });
    const approver = await staffActor('SECURITY');
    await expect(approveReset(approver, campaign.id)).rejects.toMatchObject({
      code: 'approver_needs_2fa',
      status: 403,
    });
    await db.staffUser.update({
      where: { id: approver.id },
      data: { totpSecret: 'JBSWY3DPEHPK3PXP', totpEnabledAt: new Date() },
    });
    expect(await approveReset(approver, campaign.id)).toMatchObject({ status: 'RUNNING' });
  });
});
