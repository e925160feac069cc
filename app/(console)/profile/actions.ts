'use server';

import { revalidatePath } from 'next/cache';
import { requireStaff } from '@/lib/auth/session';
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp } from '@/lib/auth/totp';
import { formError, type FormState } from '@/lib/form-state';

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
