'use client';

import { useActionState } from 'react';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import type { FormState } from '@/lib/form-state';

/**
 * One small action on a table row (unlock an account, reset its two-factor sign-in, revoke a
 * token): a form that posts `fields` to `action`, asks `confirm` first when given, and shows the
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
  return (
    <ActionForm
      action={action}
      state={state}
      className="flex items-center gap-2"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {before}
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button
        type="submit"
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={pending}
        aria-label={accessibleName}
      >
        {label}
      </Button>
      {state.ok === false && <span className="text-xs text-red-700">{state.message}</span>}
    </ActionForm>
  );
}
