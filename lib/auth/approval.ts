// The second person of a two-person rule (DESIGN invariant 4): resets now, disclosures next. An
// approval is a human act — a signed-in session, never an API token or the system — by someone
// other than the requester, with two-factor sign-in when APPROVER_TOTP_REQUIRED is set, and
// independent of the requester: no account in the creation/credential chain of one may be in the
// other's, within APPROVAL_INDEPENDENCE_HOURS (one insider with puppet accounts is still one
// person). The audit log is the record of who did what to which account, so it is what this
// reads. Changes made through the CLI (the system actor) are not attributed to a person: whoever
// runs the CLI holds the database already.
import 'server-only';
import type { AuditAction } from '@/lib/audit/actions';
import { config } from '@/lib/config';
import type { Tx } from '@/lib/db';
import { Forbidden } from '@/lib/errors';
import type { Actor, StaffActor } from './actor';

/** What the requester may have done to the approver's account that makes them not independent. */
const ACCOUNT_ACTIONS: AuditAction[] = [
  'staff.created',
  'staff.password_set',
  'staff.password_reset',
  'staff.totp_reset',
  'staff.role_changed',
  'staff.enabled',
];

export async function assertIndependentApprover(
  tx: Tx,
  actor: Actor,
  requesterId: string | null,
  what: string,
): Promise<StaffActor> {
  if (actor.kind !== 'staff' || actor.via !== 'session') {
    throw new Forbidden(
      `Approving ${what} is a person's act: sign in to the console (an API token cannot approve).`,
      'approval_requires_session',
    );
  }
  if (requesterId === actor.id) {
    throw new Forbidden(`The requester cannot approve their own ${what}: a second person must.`, 'self_approval');
  }
  const settings = config();
  if (settings.APPROVER_TOTP_REQUIRED) {
    const approver = await tx.staffUser.findUniqueOrThrow({ where: { id: actor.id }, select: { totpEnabledAt: true } });
    if (!approver.totpEnabledAt)
      throw new Forbidden(
        `Approving ${what} needs two-factor sign-in: turn it on under Your account.`,
        'approver_needs_2fa',
      );
  }
  if (requesterId) {
    const requester = await tx.staffUser.findUnique({ where: { id: requesterId }, select: { disabledAt: true } });
    if (!requester || requester.disabledAt) {
      throw new Forbidden(
        `The person who requested ${what} has since been disabled: cancel it and request again if it is still needed.`,
        'requester_disabled',
      );
    }
    // Who controls an account: itself, and whoever created it or set its password, two-factor
    // sign-in or role in the window — transitively (an account made by an account one made). The
    // requester and the approver must share no one: that covers a puppet approving for its maker,
    // the maker approving for its puppet, two puppets of one maker, and chains of them.
    const since = new Date(Date.now() - settings.APPROVAL_INDEPENDENCE_HOURS * 3_600_000);
    const shared = await tx.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE ctl(side, id) AS (
          VALUES ('requester', ${requesterId}::text), ('approver', ${actor.id}::text)
          UNION SELECT c.side, e."actorId" FROM "AuditEvent" e JOIN ctl c ON e."targetId" = c.id
           WHERE e."targetType" = 'StaffUser' AND e.action = ANY (${ACCOUNT_ACTIONS}::text[]) AND e."actorId" IS NOT NULL AND e.at >= ${since})
      SELECT id FROM ctl GROUP BY id HAVING count(DISTINCT side) = 2 LIMIT 1`;
    if (shared.length) {
      throw new Forbidden(
        `You cannot approve ${what}: your account and the requester's were created or changed by the same person (or by each other) within the last ${settings.APPROVAL_INDEPENDENCE_HOURS} h. Another person must approve.`,
        'approver_not_independent',
      );
    }
  }
  return actor;
}
