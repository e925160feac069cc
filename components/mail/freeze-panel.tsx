'use client';

import { useActionState, useState } from 'react';
import { freezeAction, unfreezeAction } from '@/app/(console)/mail/actions';
import { Button } from '@/components/ui/button';
import { FormStateMessage, TextField } from '@/components/ui/field';

/** The big red button: freeze all outbound mail (or chosen streams), with a reason. */
export function FreezePanel({ streams }: { streams: { stream: string; frozen: boolean }[] }) {
  const [state, action, pending] = useActionState(freezeAction, {});
  const [confirming, setConfirming] = useState(false);
  const allFrozen = streams.every((s) => s.frozen);
  return (
    <form
      action={action}
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
      <TextField
        label="Reason (recorded in the audit log)"
        name="reason"
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
    </form>
  );
}

export function UnfreezeForm({ stream }: { stream: string }) {
  const [state, action, pending] = useActionState(unfreezeAction, {});
  return (
    <form action={action} className="mt-3 space-y-2" aria-label={`Unfreeze ${stream}`}>
      <FormStateMessage state={state} success="Unfreeze done" error="Unfreeze error" />
      <input type="hidden" name="streams" value={stream} />
      <TextField label="Reason to unfreeze" name="reason" error={state.fields?.reason} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Unfreeze {stream}
      </Button>
    </form>
  );
}
