'use server';

// Thin adapters from the console's notice forms to lib/disclosures (roles, the gate and the
// two-person rule are enforced there).
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { staffAction } from '@/lib/actions';
import {
  approveDisclosure,
  createDisclosure,
  publishDisclosure,
  reviseDisclosure,
  submitDisclosure,
} from '@/lib/disclosures';
import type { FormState } from '@/lib/form-state';

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** Drafts from the template and the incident's facts, then opens the editor. */
export async function createDisclosureAction(reference: string, _state: FormState): Promise<FormState> {
  const state = await staffAction(async (actor) => {
    const disclosure = await createDisclosure(actor, reference, {});
    return { ok: true, result: disclosure.id };
  });
  if (state.ok && state.result) redirect(`/disclosures/${state.result}`);
  return { ok: state.ok, message: state.message };
}

export async function reviseDisclosureAction(id: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const disclosure = await reviseDisclosure(actor, id, {
      title: text(form, 'title'),
      body: text(form, 'body'),
      state: (text(form, 'state') || undefined) as never, // validated in lib/disclosures
    });
    revalidatePath(`/disclosures/${id}`);
    return { ok: true, message: `Saved as revision ${disclosure.latestRevision}.` };
  });
}

/** Submit, approve or publish: the step the form's button names. */
export async function decideDisclosureAction(id: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const revision = Number(form.get('revision'));
    const step = form.get('step');
    let message: string;
    if (step === 'submit') {
      await submitDisclosure(actor, id);
      message = 'Submitted: it waits for approval by someone other than its author.';
    } else if (step === 'approve') {
      const disclosure = await approveDisclosure(actor, id, { revision, contentHash: text(form, 'contentHash') });
      message =
        disclosure.status === 'APPROVED'
          ? `Approved revision ${revision}: it may be published.`
          : `Approved; still needed: ${disclosure.approvalsNeeded.join(', ')}.`;
    } else {
      const notify = text(form, 'notify') as 'NONE' | 'AFFECTED' | 'ALL';
      await publishDisclosure(actor, id, { revision, notify });
      message = `Published revision ${revision}, signed.${notify === 'NONE' ? '' : ` Notice mail to ${notify === 'ALL' ? 'all' : 'the affected'} customers is being queued.`}`;
    }
    revalidatePath(`/disclosures/${id}`);
    revalidatePath('/disclosures');
    return { ok: true, message };
  });
}
