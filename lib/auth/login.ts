// Staff sign-in: argon2id check, lockout after LOGIN_MAX_FAILURES failures in a row for
// LOGIN_LOCKOUT_MINUTES (which password + two-factor code together still pass: a lock must not
// keep a responder out), and an audit event for each success, failure and lockout. To the
// caller a lock looks exactly like a wrong password or an unknown email (lib/auth/next-auth.ts). An attempt is
// counted (one atomic UPDATE) before the password is checked, so however many guesses arrive at
// once, at most LOGIN_MAX_FAILURES of them are ever checked per lockout window. Accounts with
// two-factor sign-in also need a current TOTP code (lib/auth/totp.ts).
import 'server-only';
import { recordAudit } from '@/lib/audit';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { type StaffActor, systemActor } from './actor';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { signInInput } from './schema';
import { acceptTotpCode } from './totp';

export type SignInResult =
  | { ok: true; actor: StaffActor }
  | { ok: false; reason: 'invalid' | 'totp_required' | 'totp_invalid' }
  | { ok: false; reason: 'locked'; until: Date };

const auth = systemActor('auth');

export async function authenticateStaff(raw: unknown): Promise<SignInResult> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password, code } = parsed.data;
  const user = await db.staffUser.findUnique({ where: { email } });
  if (!user || user.disabledAt) {
    await burnPasswordCheck(password);
    return { ok: false, reason: 'invalid' };
  }
  const attempt = await reserveAttempt(user.id);
  if (attempt.locked) {
    // A lock must not let someone without the password keep a responder out: the password and a
    // current two-factor code together, both right, still sign in — but only LOCKED_CODE_TRIES
    // times per lock (a phished password must not buy unlimited code guesses). Nothing less says
    // anything: a right password alone answers like a wrong one, and every answer costs one
    // password check, so neither the answer nor its timing tells a paused account from the rest.
    const withCode = Boolean(user.totpSecret && code);
    const tries = withCode ? await countLockedTry(user.id) : Infinity;
    const passwordRight = await verifyPassword(user.passwordHash, password);
    if (tries <= LOCKED_CODE_TRIES && passwordRight && (await acceptTotpCode(user.id, user.totpSecret!, code!)))
      return signedIn(user, { whileLocked: true });
    if (tries <= LOCKED_CODE_TRIES) {
      await db.$transaction((tx) =>
        recordAudit(tx, auth, {
          action: 'staff.sign_in_failed',
          targetType: 'StaffUser',
          targetId: user.id,
          data: { email, whileLocked: true, tries },
        }),
      );
    }
    return { ok: false, reason: 'locked', until: attempt.until };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    return recordFailure(user.id, user.email, attempt.count);
  }
  // The second factor, once enrolled. Asking for it tells the caller the password was right, so
  // the attempt stays counted (and the counter is reset only by a complete sign-in); a wrong or
  // replayed code is a failure like a wrong password.
  if (user.totpSecret) {
    if (!code) return { ok: false, reason: 'totp_required' };
    if (!(await acceptTotpCode(user.id, user.totpSecret, code))) {
      const result = await recordFailure(user.id, user.email, attempt.count, 'totp');
      return !result.ok && result.reason === 'locked' ? result : { ok: false, reason: 'totp_invalid' };
    }
  }
  return signedIn(user);
}

async function signedIn(
  user: { id: string; email: string; name: string; role: StaffActor['role'] },
  data: Record<string, unknown> = {},
): Promise<SignInResult> {
  await db.$transaction(async (tx) => {
    await tx.staffUser.update({
      where: { id: user.id },
      data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() },
    });
    await recordAudit(tx, auth, {
      action: 'staff.signed_in',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { email: user.email, ...data },
    });
  });
  return {
    ok: true,
    actor: { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' },
  };
}

type Attempt = { locked: false; count: number } | { locked: true; until: Date };

/** Password + code attempts allowed while an account is locked, per lock. */
export const LOCKED_CODE_TRIES = 3;

/** Counts a password + code attempt on a locked account (the lock reset the counter to 0). */
async function countLockedTry(id: string): Promise<number> {
  const [row] = await db.$queryRaw<{ failedLoginCount: number }[]>`
    UPDATE "StaffUser" SET "failedLoginCount" = "failedLoginCount" + 1 WHERE id = ${id}::uuid AND "lockedUntil" > now() RETURNING "failedLoginCount"`;
  return row?.failedLoginCount ?? Infinity;
}

/** Counts the attempt unless the account is locked; a lock that has run out starts a new window. */
async function reserveAttempt(id: string): Promise<Attempt> {
  const { LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_MINUTES } = config();
  const [row] = await db.$queryRaw<{ failedLoginCount: number }[]>`
    UPDATE "StaffUser"
       SET "failedLoginCount" = CASE WHEN "lockedUntil" IS NULL THEN "failedLoginCount" + 1 ELSE 1 END,
           "lockedUntil" = NULL
     WHERE id = ${id}::uuid AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())
     RETURNING "failedLoginCount"`;
  if (row && row.failedLoginCount <= LOGIN_MAX_FAILURES) return { locked: false, count: row.failedLoginCount };
  const user = await db.staffUser.findUnique({ where: { id }, select: { lockedUntil: true } });
  // Over the limit but not yet locked: a concurrent attempt is about to set the lock.
  return { locked: true, until: user?.lockedUntil ?? new Date(Date.now() + LOGIN_LOCKOUT_MINUTES * 60_000) };
}

async function recordFailure(
  id: string,
  email: string,
  failures: number,
  factor: 'password' | 'totp' = 'password',
): Promise<SignInResult> {
  const { LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_MINUTES } = config();
  return db.$transaction(async (tx) => {
    if (failures < LOGIN_MAX_FAILURES) {
      await recordAudit(tx, auth, {
        action: 'staff.sign_in_failed',
        targetType: 'StaffUser',
        targetId: id,
        data: { email, failures, factor },
      });
      return { ok: false, reason: 'invalid' } as const;
    }
    const until = new Date(Date.now() + LOGIN_LOCKOUT_MINUTES * 60_000);
    await tx.staffUser.update({ where: { id }, data: { lockedUntil: until, failedLoginCount: 0 } });
    await recordAudit(tx, auth, {
      action: 'staff.locked_out',
      targetType: 'StaffUser',
      targetId: id,
      data: { email, failures, factor, until },
    });
    return { ok: false, reason: 'locked', until } as const;
  });
}
