// Staff accounts: creation (console, API, CLI) and listing. Only ADMIN (or the system actor of
// the CLI) may create accounts; each creation is audited.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/passwords';
import { assertCan } from '@/lib/auth/policy';
import { createStaffInput, email, type CreateStaffInput } from '@/lib/auth/schema';
import { db } from '@/lib/db';
import { Conflict, NotFound } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { z } from 'zod';

export const generatePassword = () => randomBytes(18).toString('base64url');

const publicFields = { id: true, email: true, name: true, role: true, disabledAt: true, lockedUntil: true, lastLoginAt: true, createdAt: true, totpEnabledAt: true } as const;

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
  const input = parseInput(z.object({ email }), raw);
  return db.$transaction(async (tx) => {
    const user = await tx.staffUser.findUnique({ where: { email: input.email }, select: { id: true, email: true, lockedUntil: true } });
    if (!user) throw new NotFound(`No staff account for ${input.email}.`);
    const wasLocked = Boolean(user.lockedUntil && user.lockedUntil > new Date());
    await tx.staffUser.update({ where: { id: user.id }, data: { lockedUntil: null, failedLoginCount: 0 } });
    await recordAudit(tx, actor, { action: 'staff.unlocked', targetType: 'StaffUser', targetId: user.id, data: { email: user.email, wasLocked } });
    return { email: user.email, wasLocked };
  });
}
