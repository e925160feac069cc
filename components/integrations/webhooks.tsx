'use client';

import { useActionState } from 'react';
import { createWebhookAction, disableWebhookAction, replayWebhookAction } from '@/app/(console)/integrations/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, SelectField, TextField } from '@/components/ui/field';
import { RowAction } from '@/components/ui/row-action';
import { WEBHOOK_EVENT_HELP, WEBHOOK_EVENTS } from '@/lib/webhooks/schema';

/** A new endpoint: URL, what it is, the events it takes; the secret is shown once. */
export function CreateWebhookForm() {
  const [state, action, pending] = useActionState(createWebhookAction, {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} className="space-y-3" aria-label="Add a webhook endpoint">
      {state.ok === false && (
        <FormMessage tone="error" name="Webhook error">
          {state.message}
        </FormMessage>
      )}
      {state.ok && (
        <FormMessage tone="success" name="Webhook added">
          {state.message}{' '}
          {state.result?.secret && (
            <code
              className="block select-all break-all font-mono text-xs font-semibold"
              data-testid="new-webhook-secret"
            >
              {state.result.secret}
            </code>
          )}
        </FormMessage>
      )}
      <TextField label="URL" name="url" type="url" required maxLength={2000} error={state.fields?.url} />
      <TextField label="What receives it" name="description" maxLength={200} error={state.fields?.description} />
      <SelectField label="Format" name="format" defaultValue="standard" error={state.fields?.format}>
        <option value="standard">Signed JSON (Standard Webhooks), for the exchange's systems</option>
        <option value="slack">A Slack incoming webhook (a line per event)</option>
      </SelectField>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Events</legend>
        {state.fields?.events && <p className="text-sm text-red-700">{state.fields.events}</p>}
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="events" value={event} className="mt-1" />
            <span>
              <code className="font-mono text-xs">{event}</code>{' '}
              <span className="text-slate-600">— {WEBHOOK_EVENT_HELP[event]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add endpoint'}
      </Button>
    </ActionForm>
  );
}

export function DisableWebhookButton({ id, url }: { id: string; url: string }) {
  return (
    <RowAction
      action={disableWebhookAction}
      fields={{ id }}
      label="Disable"
      accessibleName={`Disable ${url}`}
      confirm={`Stop sending to ${url}? Waiting deliveries stay in the log.`}
    />
  );
}

export function ReplayButton({ id, type }: { id: string; type: string }) {
  return <RowAction action={replayWebhookAction} fields={{ id }} label="Replay" accessibleName={`Replay ${type}`} />;
}
