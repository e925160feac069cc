'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useState } from 'react';
import { heldMessageAction } from '@/app/(console)/mail/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';

/** Release or cancel one uncertain message, each after a confirmation that says what it risks. */
export function HeldMessageButtons({ id, to }: { id: string; to: string }) {
  const [state, action, pending] = useActionState(heldMessageAction.bind(null, id), {});
  return (
    <ActionForm
      action={action}
      state={state}
      className="flex flex-wrap items-center gap-1"
      onSubmit={(event) => {
        const operation = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
        const question =
          operation === 'cancel'
            ? `Cancel the message to ${to}? If it was not delivered, they get nothing.`
            : `Send the message to ${to} again? If it was delivered, they get it twice.`;
        if (!window.confirm(question)) event.preventDefault();
      }}
    >
      <Button
        type="submit"
        name="operation"
        value="release"
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={pending}
        aria-label={`Send again to ${to}`}
      >
        Send again
      </Button>
      <Button
        type="submit"
        name="operation"
        value="cancel"
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={pending}
        aria-label={`Cancel message to ${to}`}
      >
        Cancel
      </Button>
      {state.message && (
        <span className={`text-xs ${state.ok ? 'text-emerald-800' : 'text-red-700'}`}>{state.message}</span>
      )}
    </ActionForm>
  );
}

/** Uploads the relay's log (streamed as text) to POST /api/v1/mail/held/reconcile. */
export function ReconcileForm() {
  const router = useRouter();
  const [state, setState] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get('log') as File | null;
    if (!file || file.size === 0)
      return setState({ ok: false, message: 'Choose the relay log file (or a list of accepted Message-IDs).' });
    setPending(true);
    try {
      const query = data.get('releaseUnlisted') === 'on' ? '?releaseUnlisted=true' : '';
      const response = await fetch(`/api/v1/mail/held/reconcile${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: file,
      });
      const body = await response.json();
      setState(
        response.ok
          ? {
              ok: true,
              message: `${body.sent} marked sent (the log lists them), ${body.released} queued again, ${body.stillHeld} still held.`,
            }
          : { ok: false, message: body.message ?? 'The reconciliation failed.' },
      );
      if (response.ok) router.refresh();
    } finally {
      setPending(false);
    }
  }
  return (
    <form
      onSubmit={submit}
      className="mt-3 space-y-2 rounded-md bg-slate-50 p-3"
      aria-label="Reconcile with the relay log"
    >
      {state && (
        <FormMessage tone={state.ok ? 'success' : 'error'} name={state.ok ? 'Reconciled' : 'Reconcile error'}>
          {state.message}
        </FormMessage>
      )}
      <label className="block text-sm font-medium text-slate-700">
        The relay&apos;s log of accepted messages (or a list of Message-IDs)
        <input type="file" name="log" className="mt-1 block w-full text-sm" />
      </label>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="releaseUnlisted" className="mt-1" />
        <span>The log is complete for the time of the crash: send again every uncertain message it does not list</span>
      </label>
      <Button type="submit" disabled={pending}>
        {pending ? 'Reconciling…' : 'Reconcile'}
      </Button>
    </form>
  );
}
