'use client';

import { useActionState, useState } from 'react';
import { freezeAction, unfreezeAction } from '@/app/(console)/mail/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';

/** The big red button: freeze all outbound mail (or chosen streams), with a reason. */
export function FreezePanel({
  streams,
  incidents,
}: {
  streams: { stream: string; frozen: boolean }[];
  /** Open incidents, newest first: the freeze lands on the chosen one's timeline. */
  incidents: { reference: string; title: string }[];
}) {
  const [state, action, pending] = useActionState(freezeAction, {});
  const [confirming, setConfirming] = useState(false);
  const allFrozen = streams.every((s) => s.frozen);
  return (
    <ActionForm
      resetOnSuccess
      action={action}
      state={state}
      className="space-y-3 rounded-lg border-2 border-red-300 bg-red-50 p-5"
      aria-label="Freeze outbound mail"
      onSubmit={() => setConfirming(false)}
    >
      <FormStateMessage state={state} success="Freeze done" error="Freeze error" />
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 text-sm font-semibold text-red-900">Streams</legend>
        <label className="flex items-center gap-1 font-semibold">
          <input type="checkbox" name="streams" value="ALL" defaultChecked /> All streams
        </label>
        {streams.map((s) => (
          <label key={s.stream} className="flex items-center gap-1">
            <input type="checkbox" name="streams" value={s.stream} /> {s.stream}
          </label>
        ))}
      </fieldset>
      {incidents.length > 0 && (
        <SelectField
          label="For incident (its timeline records the freeze)"
          name="incident"
          defaultValue={incidents[0].reference}
        >
          {incidents.map((i) => (
            <option key={i.reference} value={i.reference}>
              {i.reference} — {i.title}
            </option>
          ))}
          <option value="">None</option>
        </SelectField>
      )}
      <TextField
        label="Reason (recorded in the audit log)"
        name="reason"
        maxLength={2000}
        placeholder="e.g. Recipients visible in To: — stop all mail"
        error={state.fields?.reason}
      />
      {!confirming ? (
        <Button
          type="button"
          variant="danger"
          className="w-full py-4 text-lg"
          disabled={allFrozen}
          onClick={() => setConfirming(true)}
        >
          {allFrozen ? 'All outbound mail is frozen' : 'FREEZE OUTBOUND MAIL'}
        </Button>
      ) : (
        <div className="flex gap-3">
          <Button type="submit" variant="danger" className="flex-1 py-4 text-lg" disabled={pending}>
            {pending ? 'Freezing…' : 'Yes, freeze now'}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            Keep sending
          </Button>
        </div>
      )}
    </ActionForm>
  );
}

export function UnfreezeForm({ stream }: { stream: string }) {
  const [state, action, pending] = useActionState(unfreezeAction, {});
  return (
    <ActionForm
      resetOnSuccess
      action={action}
      state={state}
      className="mt-3 space-y-2"
      aria-label={`Unfreeze ${stream}`}
    >
      <FormStateMessage state={state} success="Unfreeze done" error="Unfreeze error" />
      <input type="hidden" name="streams" value={stream} />
      <TextField label="Reason to unfreeze" name="reason" maxLength={2000} error={state.fields?.reason} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Unfreeze {stream}
      </Button>
    </ActionForm>
  );
}
