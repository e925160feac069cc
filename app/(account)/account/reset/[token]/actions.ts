'use server';

import { resetCustomerPassword } from '@/lib/customers/auth';
import { type FormState, formError } from '@/lib/form-state';

export async function resetPasswordAction(token: string, _state: FormState, form: FormData): Promise<FormState> {
  const newPassword = String(form.get('newPassword') ?? '');
  if (newPassword !== String(form.get('confirm') ?? ''))
    return { ok: false, message: 'The two passwords differ.', fields: { confirm: 'Type the same password twice.' } };
  try {
    await resetCustomerPassword({ token, newPassword });
    return {
      ok: true,
      message: 'Your new password is set. Every old session has been signed out; sign in again with the new password.',
    };
  } catch (error) {
    return formError(error);
  }
}
