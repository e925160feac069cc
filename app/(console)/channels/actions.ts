'use server';

// Thin adapters from the Channels page's forms to lib/channels; roles are checked inside it.
import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/actions';
import { addChannel, markChannel } from '@/lib/channels';
import type { FormState } from '@/lib/form-state';

const text = (form: FormData, name: string) => {
  const value = String(form.get(name) ?? '').trim();
  return value || undefined;
};

export async function addChannelAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const channel = await addChannel(actor, {
      name: text(form, 'name') ?? '',
      kind: (text(form, 'kind') ?? 'OTHER') as never,
      handle: text(form, 'handle') ?? '',
      url: text(form, 'url'),
      publicNote: text(form, 'publicNote'),
    });
    revalidatePath('/channels');
    return { ok: true, message: `${channel.label} is listed on the public status page.` };
  });
}

export async function markChannelAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    const channel = await markChannel(actor, String(form.get('channel') ?? ''), {
      status: (text(form, 'status') ?? '') as never,
      reason: text(form, 'reason') ?? '',
      publicNote: text(form, 'publicNote'),
      incident: text(form, 'incident'),
    });
    revalidatePath('/channels');
    return {
      ok: true,
      message:
        channel.status === 'COMPROMISED'
          ? `${channel.label} is marked compromised: the public status page shows the warning now.`
          : `${channel.label} is marked ${channel.status.toLowerCase()}.`,
    };
  });
}
