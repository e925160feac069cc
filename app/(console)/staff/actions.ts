'use server';

import { revalidatePath } from 'next/cache';
import { requireStaff } from '@/lib/auth/session';
import { formError, type FormState } from '@/lib/form-state';
import { createStaff } from '@/lib/staff';

type Created = { email: string; password?: string };

export async function createStaffAction(_state: FormState<Created>, form: FormData): Promise<FormState<Created>> {
  const actor = await requireStaff();
  try {
    const { user, generatedPassword } = await createStaff(actor, {
      email: String(form.get('email') ?? ''),
      name: String(form.get('name') ?? ''),
      role: String(form.get('role') ?? '') as never,
    });
    revalidatePath('/staff');
    return { ok: true, message: `Created ${user.email} (${user.role}).`, result: { email: user.email, password: generatedPassword } };
  } catch (error) {
    return formError(error);
  }
}
