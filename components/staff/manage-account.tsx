'use client';

import { useActionState } from 'react';
import { manageStaffAction } from '@/app/(console)/staff/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';
import { ROLES } from '@/lib/auth/policy';

/** Change role, disable or enable one account, with a reason (all audited). */
export function ManageAccount({ email, role, disabled }: { email: string; role: string; disabled: boolean }) {
  const [state, action, pending] = useActionState(manageStaffAction, {});
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-700">Manage…</summary>
      <ActionForm
        resetOnSuccess
        action={action}
        state={state}
        aria-label={`Manage ${email}`}
        className="mt-2 w-64 space-y-2"
      >
        <FormStateMessage state={state} success="Account changed" error="Account error" />
        <input type="hidden" name="email" value={email} />
        <TextField label="Reason (audited)" name="reason" required minLength={3} maxLength={500} />
        <SelectField label="Role" name="role" defaultValue={role} key={role}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </SelectField>
        <div className="flex flex-wrap gap-2">
          <Button
            type="submit"
            name="operation"
            value="role"
            variant="secondary"
            className="px-2 py-1 text-xs"
            disabled={pending}
          >
            Change role
          </Button>
          {disabled ? (
            <Button
              type="submit"
              name="operation"
              value="enable"
              variant="secondary"
              className="px-2 py-1 text-xs"
              disabled={pending}
            >
              Enable
            </Button>
          ) : (
            <Button
              type="submit"
              name="operation"
              value="disable"
              variant="danger"
              className="px-2 py-1 text-xs"
              disabled={pending}
            >
              Disable (ends sessions and tokens)
            </Button>
          )}
        </div>
      </ActionForm>
    </details>
  );
}
