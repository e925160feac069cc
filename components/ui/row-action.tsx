'use client';

import { useActionState, useState } from 'react';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import type { FormState } from '@/lib/form-state';

/**
 * One small action on a table row (unlock an account, reset its two-factor sign-in, revoke a
 * token): a form that posts `fields` to `action`, asks `confirm` first (in the row, with *Not now*) when given, and shows the
 * action's refusal beside the button. `before` is what the cell shows ahead of it (a state badge).
 */
export function RowAction({
  action: serverAction,
  fields,
  label,
  accessibleName,
  confirm,
  before,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  accessibleName: string;
  confirm?: string;
  before?: React.ReactNode;
}) {
  const [state, action, pending] = useActionState(serverAction, {});
  // `confirm` is asked in the row, not in a browser dialog (which a browser may suppress, leaving
  // a button that silently does nothing).
  const [confirming, setConfirming] = useState(false);
  return (
    <ActionForm
      action={action}
      state={state}
      className="flex flex-wrap items-center gap-2"
      onSubmit={() => setConfirming(false)}
    >
      {before}
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm && confirming ? (
        <>
          <span className="text-xs font-medium">{confirm}</span>
          <Button
            type="submit"
            variant="danger"
            className="px-2 py-1 text-xs"
            disabled={pending}
            aria-label={`Yes, ${label.toLowerCase()}: ${accessibleName}`}
          >
            Yes, {label.toLowerCase()}
          </Button>
          <Button type="button" variant="secondary" className="px-2 py-1 text-xs" onClick={() => setConfirming(false)}>
            Not now
          </Button>
        </>
      ) : (
        <Button
          type={confirm ? 'button' : 'submit'}
          variant="secondary"
          className="px-2 py-1 text-xs"
          disabled={pending}
          aria-label={accessibleName}
          onClick={confirm ? () => setConfirming(true) : undefined}
        >
          {label}
        </Button>
      )}
      {state.ok === false && (
        <span role="alert" tabIndex={-1} className="text-xs text-red-700">
          {state.message}
        </span>
      )}
    </ActionForm>
  );
}
