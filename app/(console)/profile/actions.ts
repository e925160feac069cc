'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { staffAction } from '@/lib/actions';
import type { CreateTokenInput } from '@/lib/auth/schema';
import { createApiToken, revokeApiToken } from '@/lib/auth/tokens';
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp } from '@/lib/auth/totp';
import type { FormState } from '@/lib/form-state';
import { changeOwnPassword } from '@/lib/staff';

export async function beginTotpAction(): Promise<FormState> {
  return staffAction(async (actor) => {
    await beginTotpEnrolment(actor);
    revalidatePath('/profile');
    return { ok: true };
  });
}

export async function confirmTotpAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await confirmTotpEnrolment(actor, { code: form.get('code') });
    revalidatePath('/profile');
    return { ok: true, message: 'Two-factor sign-in is on. From now on, sign-in asks for a code from your app.' };
  });
}

export async function disableTotpAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await disableTotp(actor, { code: form.get('code') });
    revalidatePath('/profile');
    return { ok: true, message: 'Two-factor sign-in is off.' };
  });
}

type CreatedToken = { token: string };

/** A token for your own account; the page shows it once. */
export async function createTokenAction(
  _state: FormState<CreatedToken>,
  form: FormData,
): Promise<FormState<CreatedToken>> {
  return staffAction(async (actor) => {
    const days = String(form.get('expiresInDays') ?? '').trim();
    const scope = String(form.get('scope') ?? '');
    const created = await createApiToken(actor, {
      name: String(form.get('name') ?? ''),
      ...(days ? { expiresInDays: Number(days) } : {}),
      ...(scope ? { scope: scope as CreateTokenInput['scope'] } : {}), // validated by createApiToken
    });
    revalidatePath('/profile');
    return { ok: true, message: 'Copy the token now: it is shown only once.', result: { token: created.token } };
  });
}

/** Revokes a token: your own, or (ADMIN) anyone's. */
export async function revokeTokenAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await revokeApiToken(actor, String(form.get('id') ?? ''));
    revalidatePath('/profile');
    revalidatePath('/staff');
    return { ok: true, message: 'Revoked: it stopped working.' };
  });
}

/** Your own password; every session ends (this one too), so sign in again with the new one. */
export async function changePasswordAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await changeOwnPassword(actor, {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    });
    redirect('/signin?passwordChanged=1'); // not a domain error: staffAction lets it through
  });
}
