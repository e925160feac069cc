'use client';

import { useActionState } from 'react';
import { createStaffAction } from '@/app/(console)/staff/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, SelectField, TextField } from '@/components/ui/field';
import { ROLES } from '@/lib/auth/policy';

export function CreateStaffForm() {
  const [state, action, pending] = useActionState(createStaffAction, {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} className="space-y-3" aria-label="New staff account">
      {state.ok === false && (
        <FormMessage tone="error" name="Create staff error">
          {state.message}
        </FormMessage>
      )}
      {state.ok && (
        <FormMessage tone="success" name="Staff created">
          {state.message} One-time password (shown once, hand it over securely):{' '}
          <code className="select-all font-mono font-semibold">{state.result?.password}</code>
        </FormMessage>
      )}
      <TextField label="Email" name="email" type="email" required maxLength={254} error={state.fields?.email} />
      <TextField label="Name" name="name" required maxLength={120} error={state.fields?.name} />
      <SelectField label="Role" name="role" defaultValue="SECURITY" error={state.fields?.role}>
        {ROLES.map((role) => (
          <option key={role}>{role}</option>
        ))}
      </SelectField>
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create staff account'}
      </Button>
    </ActionForm>
  );
}
