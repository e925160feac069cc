'use client';

import { useActionState } from 'react';
import { resetPasswordAction } from '@/app/(account)/account/reset/[token]/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, TextField } from '@/components/ui/field';

export function ResetForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(resetPasswordAction.bind(null, token), {});
  if (state.ok) {
    return (
      <FormMessage tone="success" name="Password changed">
        {state.message}
      </FormMessage>
    );
  }
  return (
    <ActionForm action={action} state={state} className="space-y-4" noValidate>
      {state.ok === false && (
        <FormMessage tone="error" name="Reset error">
          {state.message}
        </FormMessage>
      )}
      <TextField
        label="New password (12 characters or more)"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        error={state.fields?.newPassword}
      />
      <TextField
        label="Repeat the new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        error={state.fields?.confirm}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </Button>
    </ActionForm>
  );
}
