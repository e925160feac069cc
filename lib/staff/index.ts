// Staff accounts: creation (console, API, CLI) and listing. Only ADMIN (or the system actor of
// the CLI) may create accounts; each creation is audited.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword, verifyPassword } from '@/lib/auth/passwords';
import { assertCan } from '@/lib/auth/policy';
import {
  accountChangeInput,
  type CreateStaffInput,
  createStaffInput,
  roleChangeInput,
  staffPassword,
  unlockStaffInput,
} from '@/lib/auth/schema';
import { config } from '@/lib/config';
import { db, type Tx } from '@/lib/db';
import { Conflict, Forbidden, Invalid, NotFound } from '@/lib/errors';
import { parseInput } from '@/lib/validation';

export const generatePassword = () => randomBytes(18).toString('base64url');

const publicFields = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabledAt: true,
  lockedUntil: true,
  lastLoginAt: true,
  createdAt: true,
  totpEnabledAt: true,
  ssoIssuer: true,
} as const;

/** Creates a staff account. Returns the password when it was generated, so it can be shown once. */
export async function createStaff(actor: Actor, raw: CreateStaffInput) {
  assertCan(actor, 'staff.manage');
  const input = parseInput(createStaffInput, raw);
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if (await tx.staffUser.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new Conflict(`A staff account for ${input.email} already exists.`, 'staff_exists');
    }
    const user = await tx.staffUser.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash },
      select: publicFields,
    });
    await recordAudit(tx, actor, {
      action: 'staff.created',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { email: user.email, role: user.role },
    });
    return { user, generatedPassword: input.password ? undefined : password };
  });
}

export async function listStaff(actor: Actor) {
  assertCan(actor, 'staff.manage');
  return db.staffUser.findMany({ select: publicFields, orderBy: [{ role: 'asc' }, { email: 'asc' }] });
}

/**
 * Lifts a sign-in lock (LOGIN_MAX_FAILURES wrong attempts) before it runs out — for a responder
 * someone keeps locked out. Audited; does nothing to the password or two-factor sign-in.
 */
export async function unlockStaff(actor: Actor, raw: unknown) {
  assertCan(actor, 'staff.manage');
  const input = parseInput(unlockStaffInput, raw);
  return db.$transaction(async (tx) => {
    const user = await tx.staffUser.findUnique({
      where: { email: input.email },
      select: { id: true, email: true, lockedUntil: true },
    });
    if (!user) throw new NotFound(`No staff account for ${input.email}.`);
    const wasLocked = Boolean(user.lockedUntil && user.lockedUntil > new Date());
    await tx.staffUser.update({ where: { id: user.id }, data: { lockedUntil: null, failedLoginCount: 0 } });
    await recordAudit(tx, actor, {
      action: 'staff.unlocked',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { email: user.email, wasLocked },
    });
    return { email: user.email, wasLocked };
  });
}

/**
 * Never leave the console without an enabled ADMIN (nobody could manage accounts any more). The
 * enabled ADMINs' rows are locked: two ADMINs demoting or disabling each other at the same moment
 * are serialised, and the second sees the first's change.
 */
async function assertAnotherAdmin(tx: Tx, userId: string) {
  const admins = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM "StaffUser" WHERE role = 'ADMIN' AND "disabledAt" IS NULL FOR UPDATE`;
  if (!admins.some((a) => a.id !== userId))
    throw new Conflict('This is the last enabled ADMIN: make someone else ADMIN first.', 'last_admin');
}

async function findStaff(tx: Tx, email: string) {
  const user = await tx.staffUser.findUnique({
    where: { email },
    select: { id: true, email: true, role: true, disabledAt: true },
  });
  if (!user) throw new NotFound(`No staff account for ${email}.`);
  return user;
}

/**
 * Disables an account: from the next request on, its sessions and API tokens stop working (both
 * re-read the account on every use), and it cannot sign in. For a stolen credential or a leaver.
 */
export async function disableStaff(actor: Actor, raw: unknown) {
  assertCan(actor, 'staff.manage');
  const input = parseInput(accountChangeInput, raw);
  return db.$transaction(async (tx) => {
    const user = await findStaff(tx, input.email);
    if (user.disabledAt) throw new Conflict(`${user.email} is already disabled.`, 'no_change');
    if (user.role === 'ADMIN') await assertAnotherAdmin(tx, user.id);
    const now = new Date();
    await tx.staffUser.update({ where: { id: user.id }, data: { disabledAt: now, sessionsValidAfter: now } });
    const tokens = await tx.apiToken.updateMany({
      where: { ownerId: user.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, actor, {
      action: 'staff.disabled',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { email: user.email, reason: input.reason, tokensRevoked: tokens.count },
    });
    return { email: user.email, tokensRevoked: tokens.count };
  });
}

/** Enables a disabled account again (its old tokens stay revoked). */
export async function enableStaff(actor: Actor, raw: unknown) {
  assertCan(actor, 'staff.manage');
  const input = parseInput(accountChangeInput, raw);
  return db.$transaction(async (tx) => {
    const user = await findStaff(tx, input.email);
    if (!user.disabledAt) throw new Conflict(`${user.email} is not disabled.`, 'no_change');
    await tx.staffUser.update({
      where: { id: user.id },
      data: { disabledAt: null, failedLoginCount: 0, lockedUntil: null },
    });
    await recordAudit(tx, actor, {
      action: 'staff.enabled',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { email: user.email, reason: input.reason },
    });
    return { email: user.email };
  });
}

/** Changes an account's role; it applies to its sessions and tokens from their next request. */
export async function changeStaffRole(actor: Actor, raw: unknown) {
  assertCan(actor, 'staff.manage');
  const input = parseInput(roleChangeInput, raw);
  return db.$transaction(async (tx) => {
    const user = await findStaff(tx, input.email);
    if (user.role === input.role) throw new Conflict(`${user.email} is already ${input.role}.`, 'no_change');
    if (user.role === 'ADMIN') await assertAnotherAdmin(tx, user.id);
    await tx.staffUser.update({ where: { id: user.id }, data: { role: input.role } });
    await recordAudit(tx, actor, {
      action: 'staff.role_changed',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { email: user.email, from: user.role, to: input.role, reason: input.reason },
    });
    return { email: user.email, role: input.role };
  });
}

const changePasswordInput = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password.').max(1000), newPassword: staffPassword })
  .refine((input) => input.currentPassword !== input.newPassword, {
    path: ['newPassword'],
    message: 'Choose a password different from the current one.',
  });

/**
 * A staff member changes their own password: in a signed-in session (a stolen API token must not
 * be able to), with the current password. Every session of the account ends, this one too — a
 * thief's copy of a cookie with them — so they sign in again with the new password. API tokens
 * are separate credentials and stay; revoke them on Your account if the password leaked. Audited.
 */
export async function changeOwnPassword(actor: Actor, raw: unknown) {
  assertCan(actor, 'console.read');
  if (actor.kind !== 'staff' || actor.via !== 'session') {
    throw new Forbidden('Change your password signed in to the console (an API token cannot).', 'session_required');
  }
  const input = parseInput(changePasswordInput, raw);
  const user = await db.staffUser.findUniqueOrThrow({
    where: { id: actor.id },
    select: { passwordHash: true, lockedUntil: true },
  });
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    throw new Forbidden(
      'Your account is paused after repeated wrong passwords; sign in again once it lifts, or ask an ADMIN.',
      'account_locked',
    );
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    // A wrong current password counts like a wrong sign-in: a stolen cookie cannot be used to guess
    // the password without limit. The guess that reaches the limit pauses the account and ends its
    // sessions (that cookie's too); it is audited.
    const { LOGIN_MAX_FAILURES: max, LOGIN_LOCKOUT_MINUTES: minutes } = config();
    const [row] = await db.$queryRaw<{ failedLoginCount: number }[]>`
      UPDATE "StaffUser" SET "failedLoginCount" = "failedLoginCount" + 1 WHERE id = ${actor.id}::uuid RETURNING "failedLoginCount"`;
    if (row && row.failedLoginCount >= max) {
      await db.$transaction(async (tx) => {
        const now = new Date();
        await tx.staffUser.update({
          where: { id: actor.id },
          data: {
            failedLoginCount: 0,
            lockedUntil: new Date(now.getTime() + minutes * 60_000),
            sessionsValidAfter: now,
          },
        });
        await recordAudit(tx, actor, {
          action: 'staff.locked_out',
          targetType: 'StaffUser',
          targetId: actor.id,
          data: { email: actor.email, failures: row.failedLoginCount, factor: 'current password (password change)' },
        });
      });
    }
    throw new Invalid(
      'That is not your current password.',
      { fields: { currentPassword: 'That is not your current password.' } },
      'wrong_password',
    );
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    // Only over the password just verified: an ADMIN's reset in between is not silently undone.
    const { count } = await tx.staffUser.updateMany({
      where: { id: actor.id, passwordHash: user.passwordHash },
      data: { passwordHash, sessionsValidAfter: new Date(), failedLoginCount: 0 },
    });
    if (count === 0) throw new Conflict('Your password was changed meanwhile; sign in again.', 'password_changed');
    await recordAudit(tx, actor, {
      action: 'staff.password_changed',
      targetType: 'StaffUser',
      targetId: actor.id,
      data: { sessionsEnded: true },
    });
  });
}
