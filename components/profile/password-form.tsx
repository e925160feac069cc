'use client';

import { useActionState } from 'react';
import { changePasswordAction } from '@/app/(console)/profile/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, TextField } from '@/components/ui/field';

/** Change your own password: ends every session of your account, this one included. */
export function PasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} aria-label="Change your password" className="space-y-3">
      <FormStateMessage state={state} success="Password changed" error="Password error" />
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        maxLength={1000}
        error={state.fields?.currentPassword}
      />
      <TextField
        label="New password (at least 12 characters)"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={1000}
        error={state.fields?.newPassword}
      />
      <p className="text-xs text-slate-600">
        Every session of your account ends, this one too: sign in again with the new password. API tokens keep working;
        revoke them below if the password leaked.
      </p>
      <Button type="submit" disabled={pending}>
        Change password
      </Button>
    </ActionForm>
  );
}
