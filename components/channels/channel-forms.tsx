'use client';

import { useActionState, useState } from 'react';
import { addChannelAction, markChannelAction } from '@/app/(console)/channels/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';

const KINDS = [
  ['X', 'X (Twitter)'],
  ['TELEGRAM', 'Telegram'],
  ['MAIL_DOMAIN', 'Mail sender domain'],
  ['BLOG', 'Blog'],
  ['APP', 'App'],
  ['OTHER', 'Other'],
] as const;

/** One SECURITY person, one reason: the red banner is on the public page within a second. */
export function MarkChannelForm(props: {
  channel: { id: string; label: string; status: string };
  incidents: { id: string; reference: string; title: string }[];
}) {
  const [state, action, pending] = useActionState(markChannelAction, {});
  const [confirming, setConfirming] = useState(false);
  const compromised = props.channel.status === 'COMPROMISED';
  return (
    <ActionForm
      resetOnSuccess
      action={action}
      state={state}
      className={`mt-3 space-y-2 rounded-md border p-3 ${compromised ? 'border-slate-200' : 'border-red-300 bg-red-50'}`}
      aria-label={`${compromised ? 'Recover' : 'Mark compromised'}: ${props.channel.label}`}
      onSubmit={() => setConfirming(false)}
    >
      <FormStateMessage state={state} success="Channel changed" error="Channel not changed" />
      <input type="hidden" name="channel" value={props.channel.id} />
      <input type="hidden" name="status" value={compromised ? 'RECOVERED' : 'COMPROMISED'} />
      <TextField
        label="Reason (audit log and timeline; not public)"
        name="reason"
        required
        minLength={5}
        maxLength={1000}
        error={state.fields?.reason}
      />
      <TextField
        label="Public note (optional, shown on the status page)"
        name="publicNote"
        maxLength={500}
        placeholder={compromised ? 'We have control of the account again.' : 'Do not send funds anywhere it says.'}
        error={state.fields?.publicNote}
      />
      {props.incidents.length > 0 && (
        <SelectField label="Incident whose timeline records it" name="incident" defaultValue={props.incidents[0].id}>
          <option value="">None (the audit log only)</option>
          {props.incidents.map((i) => (
            <option key={i.id} value={i.id}>
              {i.reference} — {i.title}
            </option>
          ))}
        </SelectField>
      )}
      {compromised && !confirming ? (
        <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
          Mark recovered
        </Button>
      ) : compromised ? (
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? 'Saving…' : `Yes: take the warning about ${props.channel.label} down`}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            Not now
          </Button>
        </div>
      ) : !confirming ? (
        <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
          Mark compromised
        </Button>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? 'Marking…' : `Yes: warn the public about ${props.channel.label}`}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            Not now
          </Button>
        </div>
      )}
    </ActionForm>
  );
}

export function AddChannelForm() {
  const [state, action, pending] = useActionState(addChannelAction, {});
  return (
    <ActionForm
      resetOnSuccess
      action={action}
      state={state}
      className="grid gap-3 sm:grid-cols-2"
      aria-label="List an official channel"
    >
      <div className="sm:col-span-2">
        <FormStateMessage state={state} success="Channel listed" error="Channel not listed" />
      </div>
      <TextField label="Name" name="name" required maxLength={100} placeholder="X" error={state.fields?.name} />
      <SelectField label="Kind" name="kind" defaultValue="X">
        {KINDS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Handle or address customers know"
        name="handle"
        required
        maxLength={200}
        placeholder="@exchange"
        error={state.fields?.handle}
      />
      <TextField label="Link (https, optional)" name="url" type="url" maxLength={500} error={state.fields?.url} />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Listing…' : 'List the channel'}
        </Button>
      </div>
    </ActionForm>
  );
}
