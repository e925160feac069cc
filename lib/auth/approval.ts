// The second person of a two-person rule (DESIGN invariant 4): resets now, disclosures next. An
// approval is a human act — a signed-in session, never an API token or the system — by someone
// other than the requester, with two-factor sign-in when APPROVER_TOTP_REQUIRED is set, and
// independent of the requester: an account the requester created, or whose password, two-factor
// sign-in or role the requester set, within APPROVAL_INDEPENDENCE_HOURS, cannot approve (one
// insider with a puppet account is still one person). The audit log is the record of who did what
// to which account, so it is what this reads.
import 'server-only';
import { config } from '@/lib/config';
import type { Tx } from '@/lib/db';
import { Forbidden } from '@/lib/errors';
import type { Actor, StaffActor } from './actor';

/** What the requester may have done to the approver's account that makes them not independent. */
const ACCOUNT_ACTIONS = ['staff.created', 'staff.password_set', 'staff.password_reset', 'staff.totp_reset', 'staff.role_changed', 'staff.enabled'];

export async function assertIndependentApprover(tx: Tx, actor: Actor, requesterId: string | null, what: string): Promise<StaffActor> {
  if (actor.kind !== 'staff' || actor.via !== 'session') {
    throw new Forbidden(`Approving ${what} is a person's act: sign in to the console (an API token cannot approve).`, 'approval_requires_session');
  }
  if (requesterId === actor.id) {
    throw new Forbidden(`The requester cannot approve their own ${what}: a second person must.`, 'self_approval');
  }
  const settings = config();
  if (settings.APPROVER_TOTP_REQUIRED) {
    const approver = await tx.staffUser.findUniqueOrThrow({ where: { id: actor.id }, select: { totpEnabledAt: true } });
    if (!approver.totpEnabledAt) throw new Forbidden(`Approving ${what} needs two-factor sign-in: turn it on under Your account.`, 'approver_needs_2fa');
  }
  if (requesterId) {
    const since = new Date(Date.now() - settings.APPROVAL_INDEPENDENCE_HOURS * 3_600_000);
    const touched = await tx.auditEvent.findFirst({
      where: { actorId: requesterId, targetType: 'StaffUser', targetId: actor.id, action: { in: ACCOUNT_ACTIONS }, at: { gte: since } },
      select: { action: true, at: true },
    });
    if (touched) {
      throw new Forbidden(
        `You cannot approve ${what}: the requester changed your account (${touched.action} at ${touched.at.toISOString()}) within the last ${settings.APPROVAL_INDEPENDENCE_HOURS} h. Another person must approve.`,
        'approver_not_independent',
      );
    }
  }
  return actor;
}
