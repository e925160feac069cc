'use server';

// Thin adapters from the war room's reset panel to lib/resets (roles and the two-person rule are enforced there).
import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/actions';
import type { FormState } from '@/lib/form-state';
import { approveReset, cancelReset, requestReset, resumeResetMail } from '@/lib/resets';

export async function requestResetAction(reference: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const hours = Number(form.get('lockWithdrawalsHours') || 0);
    const campaign = await requestReset(actor, reference, {
      scope: form.get('scope') === 'AFFECTED' ? 'AFFECTED' : 'ALL',
      onlyWithout2fa: form.get('onlyWithout2fa') === 'on',
      onlyWithBalance: form.get('onlyWithBalance') === 'on',
      revokeSessions: form.get('revokeSessions') === 'on',
      revokeApiKeys: form.get('revokeApiKeys') === 'on',
      sendMail: form.get('sendMail') === 'on',
      ...(hours > 0 ? { lockWithdrawalsHours: hours } : {}),
    });
    revalidatePath(`/incidents/${reference}`);
    return {
      ok: true,
      message: `Requested: ${campaign.targetCount.toLocaleString('en-US')} customers. Nothing happens until a second SECURITY or ADMIN user approves.`,
    };
  });
}

export async function decideResetAction(
  reference: string,
  campaignId: string,
  _state: FormState,
  form: FormData,
): Promise<FormState> {
  return staffAction(async (actor) => {
    if (form.get('decision') === 'approve') await approveReset(actor, campaignId);
    else await cancelReset(actor, campaignId);
    revalidatePath(`/incidents/${reference}`);
    return {
      ok: true,
      message: form.get('decision') === 'approve' ? 'Approved: the reset is in effect now.' : 'Cancelled.',
    };
  });
}

/** The runbook's way out of reset mail held by a freeze: unfreeze SECURITY and send it. */
export async function resumeResetMailAction(
  reference: string,
  campaignId: string,
  _state: FormState,
  form: FormData,
): Promise<FormState> {
  return staffAction(async (actor) => {
    const { released, stillFrozen } = await resumeResetMail(actor, campaignId, String(form.get('reason') ?? ''));
    revalidatePath(`/incidents/${reference}`);
    revalidatePath('/mail');
    return {
      ok: true,
      message: `${released.toLocaleString('en-US')} reset mail(s) queued to send${stillFrozen ? `; ${stillFrozen} still held` : ''}.`,
    };
  });
}
