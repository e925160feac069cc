// Staff sign-in: argon2id check, lockout after LOGIN_MAX_FAILURES failures in a row for
// LOGIN_LOCKOUT_MINUTES, and an audit event for each success, failure and lockout. The failure
// counter moves with one atomic UPDATE, so concurrent guesses cannot exceed the limit.
import 'server-only';
import { recordAudit } from '@/lib/audit';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { systemActor, type StaffActor } from './actor';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { signInInput } from './schema';

export type SignInResult =
  | { ok: true; actor: StaffActor }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

const auth = systemActor('auth');

export async function authenticateStaff(raw: unknown): Promise<SignInResult> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password } = parsed.data;
  const user = await db.staffUser.findUnique({ where: { email } });
  if (!user || user.disabledAt) {
    await burnPasswordCheck(password);
    return { ok: false, reason: 'invalid' };
  }
  const now = new Date();
  if (user.lockedUntil && user.lockedUntil > now) {
    return { ok: false, reason: 'locked', until: user.lockedUntil };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    return recordFailure(user.id, user.email);
  }
  await db.$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now } });
    await recordAudit(tx, auth, { action: 'staff.signed_in', targetType: 'StaffUser', targetId: user.id, data: { email } });
  });
  return {
    ok: true,
    actor: { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' },
  };
}

async function recordFailure(id: string, email: string): Promise<SignInResult> {
  const { LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_MINUTES } = config();
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ failedLoginCount: number }[]>`
      UPDATE "StaffUser" SET "failedLoginCount" = "failedLoginCount" + 1, "updatedAt" = now()
      WHERE id = ${id}::uuid RETURNING "failedLoginCount"`;
    if (row.failedLoginCount < LOGIN_MAX_FAILURES) {
      await recordAudit(tx, auth, { action: 'staff.sign_in_failed', targetType: 'StaffUser', targetId: id, data: { email, failures: row.failedLoginCount } });
      return { ok: false, reason: 'invalid' } as const;
    }
    const until = new Date(Date.now() + LOGIN_LOCKOUT_MINUTES * 60_000);
    await tx.staffUser.update({ where: { id }, data: { lockedUntil: until, failedLoginCount: 0 } });
    await recordAudit(tx, auth, { action: 'staff.locked_out', targetType: 'StaffUser', targetId: id, data: { email, failures: row.failedLoginCount, until } });
    return { ok: false, reason: 'locked', until } as const;
  });
}
