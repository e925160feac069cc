'use server';

import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/actions';
import { resetStaffTotp } from '@/lib/auth/totp';
import type { FormState } from '@/lib/form-state';
import { changeStaffRole, createStaff, disableStaff, enableStaff, unlockStaff } from '@/lib/staff';

type Created = { email: string; password?: string };

export async function createStaffAction(_state: FormState<Created>, form: FormData): Promise<FormState<Created>> {
  return staffAction(async (actor) => {
    const { user, generatedPassword } = await createStaff(actor, {
      email: String(form.get('email') ?? ''),
      name: String(form.get('name') ?? ''),
      role: String(form.get('role') ?? '') as never,
    });
    revalidatePath('/staff');
    return {
      ok: true,
      message: `Created ${user.email} (${user.role}).`,
      result: { email: user.email, password: generatedPassword },
    };
  });
}

export async function resetTotpAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await resetStaffTotp(actor, { email: String(form.get('email') ?? '') });
    revalidatePath('/staff');
    return {
      ok: true,
      message: 'Two-factor sign-in was reset; the user can sign in with the password and set it up again.',
    };
  });
}

export async function unlockStaffAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const { email } = await unlockStaff(actor, { email: String(form.get('email') ?? '') });
    revalidatePath('/staff');
    return { ok: true, message: `${email} can sign in again.` };
  });
}

/** Change role, disable or enable an account (with a reason, audited). */
export async function manageStaffAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const email = String(form.get('email') ?? '');
    const reason = String(form.get('reason') ?? '');
    const operation = String(form.get('operation') ?? '');
    if (operation === 'disable') await disableStaff(actor, { email, reason });
    else if (operation === 'enable') await enableStaff(actor, { email, reason });
    else await changeStaffRole(actor, { email, reason, role: String(form.get('role') ?? '') });
    revalidatePath('/staff');
    return {
      ok: true,
      message:
        operation === 'disable'
          ? `${email} is disabled: their sessions and tokens stopped working.`
          : operation === 'enable'
            ? `${email} can sign in again.`
            : `${email} now has the role ${String(form.get('role'))}.`,
    };
  });
}
