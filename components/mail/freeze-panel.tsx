'use client';

import { useActionState, useState } from 'react';
import { freezeAction, unfreezeAction } from '@/app/(console)/mail/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';

/** What the panel ticks to begin with: the runbook's freeze, everything but SECURITY (the reset mail). */
const DEFAULT_STREAMS = ['TRANSACTIONAL', 'BULK'];

/**
 * The big red button: freeze outbound mail, chosen streams or all, with a reason. It starts with
 * TRANSACTIONAL and BULK ticked, says what it will freeze on the confirming button, and warns when
 * SECURITY is chosen while it carries queued mail (reset links: customers would wait for them).
 */
export function FreezePanel({
  streams,
  incidents,
  securityQueued,
}: {
  streams: { stream: string; frozen: boolean }[];
  /** Open incidents, newest first: the freeze lands on the chosen one's timeline. */
  incidents: { reference: string; title: string }[];
  /** SECURITY mail queued or being sent right now. */
  securityQueued: number;
}) {
  const [state, action, pending] = useActionState(freezeAction, {});
  const [confirming, setConfirming] = useState(false);
  const [chosen, setChosen] = useState<string[]>(DEFAULT_STREAMS);
  const all = streams.every((s) => chosen.includes(s.stream));
  const toggle = (stream: string, on: boolean) =>
    setChosen(
      stream === 'ALL'
        ? on
          ? streams.map((s) => s.stream)
          : []
        : (c) => (on ? [...c, stream] : c.filter((x) => x !== stream)),
    );
  const allFrozen = streams.every((s) => s.frozen);
  const names = streams.map((s) => s.stream).filter((s) => chosen.includes(s));
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
          <input type="checkbox" checked={all} onChange={(e) => toggle('ALL', e.target.checked)} /> All streams
        </label>
        {streams.map((s) => (
          <label key={s.stream} className="flex items-center gap-1">
            <input
              type="checkbox"
              name="streams"
              value={s.stream}
              checked={chosen.includes(s.stream)}
              onChange={(e) => toggle(s.stream, e.target.checked)}
            />{' '}
            {s.stream}
          </label>
        ))}
      </fieldset>
      {chosen.includes('SECURITY') && securityQueued > 0 && (
        <p className="rounded-md bg-amber-100 p-2 text-sm text-amber-950 ring-1 ring-amber-400">
          SECURITY has {securityQueued.toLocaleString('en-US')} message(s) queued — reset links among them. Freezing it
          holds them: those customers wait for their link until it is unfrozen and the mail released.
        </p>
      )}
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
          <Button type="submit" variant="danger" className="flex-1 py-4 text-lg" disabled={pending || !names.length}>
            {pending
              ? 'Freezing…'
              : all
                ? 'Yes, freeze all streams now'
                : names.length
                  ? `Yes, freeze ${names.join(' and ')} now`
                  : 'Choose a stream'}
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
