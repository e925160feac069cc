'use server';

// Thin adapters from the Mail page's forms to lib/mail; roles are checked inside lib/mail.
import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/actions';
import type { FormState } from '@/lib/form-state';
import { freezeMail, unfreezeMail } from '@/lib/mail/freeze';
import { cancelHeld, releaseHeld } from '@/lib/mail/outbox';
import type { Stream } from '@/lib/mail/schema';

const streamsFrom = (form: FormData) => {
  const picked = form.getAll('streams').map(String);
  return picked.includes('ALL') ? 'ALL' : (picked as Stream[]);
};

export async function freezeAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const { held } = await freezeMail(actor, {
      streams: streamsFrom(form),
      reason: String(form.get('reason') ?? ''),
      incident: String(form.get('incident') ?? '') || undefined,
    });
    revalidatePath('/mail');
    return {
      ok: true,
      message: `Frozen. No message of those streams is being sent; ${held.toLocaleString()} queued message(s) are now held.`,
    };
  });
}

export async function unfreezeAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await unfreezeMail(actor, { streams: streamsFrom(form), reason: String(form.get('reason') ?? '') });
    revalidatePath('/mail');
    return { ok: true, message: 'Unfrozen. Held messages stay held until you release or cancel them.' };
  });
}

type HeldResult = { operation: 'release' | 'cancel'; count: number; confirmed: boolean };

/** First call counts (dry run) for the confirmation; the second, with confirm=yes, acts. */
export async function heldAction(_state: FormState<HeldResult>, form: FormData): Promise<FormState<HeldResult>> {
  return staffAction(async (actor) => {
    const operation = form.get('operation') === 'cancel' ? 'cancel' : 'release';
    const stream = (String(form.get('stream') ?? '') || undefined) as Stream | undefined;
    const confirmed = form.get('confirm') === 'yes';
    // No stream chosen means every stream: the confirmation named the count before this call.
    const result = await (operation === 'release' ? releaseHeld : cancelHeld)(actor, {
      stream,
      all: stream ? undefined : true,
      dryRun: !confirmed,
    });
    if (confirmed) revalidatePath('/mail');
    return { ok: true, result: { operation, count: result.count, confirmed } };
  });
}

/** One held message: release it to the queue or cancel it (the uncertain ones after a lost worker). */
export async function heldMessageAction(id: string, _state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const operation = form.get('operation') === 'cancel' ? 'cancel' : 'release';
    const { count, stillFrozen } = {
      stillFrozen: 0,
      ...(await (operation === 'release' ? releaseHeld : cancelHeld)(actor, { ids: [id] })),
    };
    revalidatePath('/mail');
    if (count === 0)
      return {
        ok: false,
        message: stillFrozen
          ? 'Its stream is frozen: it stays held until the stream is unfrozen.'
          : 'It is no longer held.',
      };
    return {
      ok: true,
      message: operation === 'release' ? 'Queued again: it will be sent.' : 'Cancelled: it will not be sent.',
    };
  });
}
