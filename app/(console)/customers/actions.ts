'use server';

// Thin adapter from the Customers page to lib/customers/credential-changes (roles and the
// two-person rule are enforced there).
import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/actions';
import { approveCredentialChanges, cancelCredentialChanges } from '@/lib/customers/credential-changes';
import type { FormState } from '@/lib/form-state';

export async function decideCredentialChangesAction(
  requestId: string,
  _state: FormState,
  form: FormData,
): Promise<FormState> {
  return staffAction(async (actor) => {
    if (form.get('decision') === 'approve') {
      const decided = await approveCredentialChanges(actor, requestId);
      revalidatePath('/customers');
      const stale = decided.staleCount
        ? ` ${decided.staleCount.toLocaleString('en-US')} left alone: their credentials changed since the import.`
        : '';
      return {
        ok: true,
        message: `Applied to ${(decided.appliedCount ?? 0).toLocaleString('en-US')} customers; their sessions were ended.${stale}`,
      };
    }
    await cancelCredentialChanges(actor, requestId);
    revalidatePath('/customers');
    return { ok: true, message: 'Cancelled: nothing was changed.' };
  });
}
