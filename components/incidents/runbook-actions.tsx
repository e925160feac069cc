'use client';

import { useActionState, useState } from 'react';
import { freezeForIncidentAction } from '@/app/(console)/incidents/actions';
import { resumeResetMailAction } from '@/app/(console)/incidents/reset-actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, TextField } from '@/components/ui/field';
import type { FormState } from '@/lib/form-state';

/**
 * A runbook step's action that changes something for everyone: one button opens it, the form
 * names what will happen, asks for the reason (filled with a sensible one) and offers "Not now".
 */
function ConfirmedStep({
  serverAction,
  open: openLabel,
  confirm,
  reason,
  name,
}: {
  serverAction: (state: FormState, form: FormData) => Promise<FormState>;
  open: string;
  confirm: string;
  reason: string;
  name: string;
}) {
  const [state, action, pending] = useActionState(serverAction, {});
  const [opened, setOpened] = useState(false);
  if (!opened)
    return (
      <div className="space-y-2">
        <FormStateMessage state={state} success={`${name} done`} error={`${name} refused`} />
        {!state.ok && (
          <Button type="button" variant="danger" onClick={() => setOpened(true)}>
            {openLabel}
          </Button>
        )}
      </div>
    );
  return (
    <ActionForm action={action} state={state} className="space-y-2" aria-label={name}>
      <FormStateMessage state={state} success={`${name} done`} error={`${name} refused`} />
      <TextField
        label="Reason (audit log and timeline)"
        name="reason"
        defaultValue={reason}
        maxLength={2000}
        error={state.fields?.reason}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? 'Working…' : confirm}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setOpened(false)}>
          Not now
        </Button>
      </div>
    </ActionForm>
  );
}

export function FreezeStep({ reference, streams }: { reference: string; streams: string[] }) {
  return (
    <ConfirmedStep
      serverAction={freezeForIncidentAction.bind(null, reference)}
      name="Freeze for this incident"
      open="Freeze mail…"
      confirm={`Yes, freeze ${streams.join(' and ')} now`}
      reason={`${reference}: stop outbound mail while the breach is contained`}
    />
  );
}

export function ResumeResetMailStep({
  reference,
  campaignId,
  held,
}: {
  reference: string;
  campaignId: string;
  held: number;
}) {
  return (
    <ConfirmedStep
      serverAction={resumeResetMailAction.bind(null, reference, campaignId)}
      name="Send the held reset mail"
      open="Unfreeze SECURITY and send the reset mail…"
      confirm={`Unfreeze SECURITY and send ${held.toLocaleString('en-US')} reset mails`}
      reason={`${reference}: customers need their reset links`}
    />
  );
}
