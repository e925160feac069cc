'use server';

import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/actions';
import type { FormState } from '@/lib/form-state';
import { createWebhookEndpoint, disableWebhookEndpoint, replayWebhookDelivery } from '@/lib/webhooks';
import type { CreateWebhookInput } from '@/lib/webhooks/schema';

type Created = { secret: string };

/** A new endpoint; its signing secret is in the answer and nowhere else. */
export async function createWebhookAction(_state: FormState<Created>, form: FormData): Promise<FormState<Created>> {
  return staffAction(async (actor) => {
    const { endpoint, secret } = await createWebhookEndpoint(actor, {
      url: String(form.get('url') ?? ''),
      description: String(form.get('description') ?? ''),
      format: String(form.get('format') || 'standard') as CreateWebhookInput['format'],
      events: form.getAll('events').map(String) as CreateWebhookInput['events'], // validated by createWebhookEndpoint
    });
    revalidatePath('/integrations');
    if (endpoint.format === 'slack')
      return { ok: true, message: `Firebreak now posts ${endpoint.events.join(', ')} to that Slack channel.` };
    return {
      ok: true,
      message: `Firebreak now sends ${endpoint.events.join(', ')} to ${endpoint.url}. Copy the signing secret now: it is shown only once.`,
      result: { secret },
    };
  });
}

export async function disableWebhookAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await disableWebhookEndpoint(actor, String(form.get('id') ?? ''));
    revalidatePath('/integrations');
    return { ok: true, message: 'Disabled: nothing more is sent to it.' };
  });
}

export async function replayWebhookAction(_state: FormState, form: FormData): Promise<FormState> {
  return staffAction(async (actor) => {
    await replayWebhookDelivery(actor, String(form.get('id') ?? ''));
    revalidatePath('/integrations');
    return { ok: true, message: 'Queued again: it goes out in order.' };
  });
}
