'use client';

import { useActionState } from 'react';
import { searchExposureAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, TextField } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { count } from '@/lib/numbers';

/** "Was alice@… exposed, and to whom?" */
export function ExposureSearch({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState(searchExposureAction.bind(null, reference), {});
  const answer = state.result;
  return (
    <div className="space-y-3">
      <ActionForm
        action={action}
        state={state}
        className="flex flex-wrap items-end gap-2"
        aria-label="Search the exposed set"
        role="search"
      >
        <div className="min-w-0 flex-1">
          <TextField
            label="Was this address exposed, and to whom?"
            name="address"
            type="search"
            maxLength={1000}
            placeholder="alice@example.com"
            error={state.ok === false ? state.fields?.address : undefined}
          />
        </div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Looking…' : 'Look up'}
        </Button>
      </ActionForm>
      {state.ok === false && (
        <FormMessage tone="error" name="Search refused">
          {state.message}
        </FormMessage>
      )}
      {answer && !answer.exposed && (
        <div
          role="status"
          aria-label="Search answer"
          className="rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200"
        >
          <strong>{answer.address}</strong> was not exposed: it is in no message's To or Cc that another recipient
          received.
        </div>
      )}
      {answer?.exposed && (
        <div
          role="status"
          aria-label="Search answer"
          className="space-y-2 rounded-md bg-rose-50 px-3 py-2 text-sm ring-1 ring-rose-200"
        >
          <p>
            <strong>{answer.address}</strong>
            {answer.customer ? ` (customer ${answer.customer.externalId})` : ' (not in the customer directory)'} was
            seen by <strong>{count(answer.seenBy)}</strong> other recipient(s) in {count(answer.messageCount)}{' '}
            message(s).
          </p>
          <ul className="text-xs text-slate-700">
            {answer.messages.map((m) => (
              <li key={m.messageId} className="break-words">
                {m.messageId} · {count(m.recipients)} recipients
                {m.sentAt && (
                  <>
                    {' · '}
                    <LocalTime iso={new Date(m.sentAt).toISOString()} showUtc={false} />
                  </>
                )}
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer text-xs font-medium">
              Who saw it
              {answer.seenBy > answer.seenBySample.length
                ? ` (the first ${count(answer.seenBySample.length)} of ${count(answer.seenBy)})`
                : ''}
            </summary>
            <p className="mt-1 break-words text-xs text-slate-700">{answer.seenBySample.join(', ')}</p>
          </details>
        </div>
      )}
    </div>
  );
}
