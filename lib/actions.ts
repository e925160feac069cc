// The one shape of a console server action, as staffRoute is for the API: the signed-in staff
// member (or the sign-in page), then the work, with domain errors mapped to the form's state once.
// Permissions are checked inside lib/, by the function the action calls.
import 'server-only';
import type { StaffActor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/session';
import { type FormState, formError } from '@/lib/form-state';

export async function staffAction<T = undefined>(
  run: (actor: StaffActor) => Promise<FormState<T>>,
): Promise<FormState<T>> {
  const actor = await requireStaff(); // outside the try: its redirect to sign-in must propagate
  try {
    return await run(actor);
  } catch (error) {
    return formError(error);
  }
}
