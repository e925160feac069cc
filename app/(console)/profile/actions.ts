'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireStaff } from '@/lib/auth/session';
import { createApiToken, revokeApiToken } from '@/lib/auth/tokens';
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp } from '@/lib/auth/totp';
import { type FormState, formError } from '@/lib/form-state';
import { changeOwnPassword } from '@/lib/staff';

export async function beginTotpAction(): Promise<FormState> {
  const actor = await requireStaff();
  try {
    await beginTotpEnrolment(actor);
    revalidatePath('/profile');
    return { ok: true };
  } catch (error) {
    return formError(error);
  }
}

export async function confirmTotpAction(_state: FormState, form: FormData): Promise<FormState> {
  const actor = await requireStaff();
  try {
    await confirmTotpEnrolment(actor, { code: form.get('code') });
    revalidatePath('/profile');
    return { ok: true, message: 'Two-factor sign-in is on. From now on, sign-in asks for a code from your app.' };
  } catch (error) {
    return formError(error);
  }
}

export async function disableTotpAction(_state: FormState, form: FormData): Promise<FormState> {
  const actor = await requireStaff();
  try {
    await disableTotp(actor, { code: form.get('code') });
    revalidatePath('/profile');
    return { ok: true, message: 'Two-factor sign-in is off.' };
  } catch (error) {
    return formError(error);
  }
}

type CreatedToken = { token: string };

/** A token for your own account; the page shows it once. */
export async function createTokenAction(
  _state: FormState<CreatedToken>,
  form: FormData,
): Promise<FormState<CreatedToken>> {
  const actor = await requireStaff();
  try {
    const days = String(form.get('expiresInDays') ?? '').trim();
    const created = await createApiToken(actor, {
      name: String(form.get('name') ?? ''),
      ...(days ? { expiresInDays: Number(days) } : {}),
    });
    revalidatePath('/profile');
    return { ok: true, message: 'Copy the token now: it is shown only once.', result: { token: created.token } };
  } catch (error) {
    return formError(error);
  }
}

/** Revokes a token: your own, or (ADMIN) anyone's. */
export async function revokeTokenAction(_state: FormState, form: FormData): Promise<FormState> {
  const actor = await requireStaff();
  try {
    await revokeApiToken(actor, String(form.get('id') ?? ''));
    revalidatePath('/profile');
    revalidatePath('/staff');
    return { ok: true, message: 'Revoked: it stopped working.' };
  } catch (error) {
    return formError(error);
  }
}

/** Your own password; every session ends (this one too), so sign in again with the new one. */
export async function changePasswordAction(_state: FormState, form: FormData): Promise<FormState> {
  const actor = await requireStaff();
  try {
    await changeOwnPassword(actor, {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    });
  } catch (error) {
    return formError(error);
  }
  redirect('/signin?passwordChanged=1');
}
