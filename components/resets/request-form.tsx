'use client';

import { useActionState } from 'react';
import { requestResetAction } from '@/app/(console)/incidents/reset-actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';

const check = (name: string, label: string, defaultChecked = false) => (
  <label className="flex items-center gap-2 text-sm">
    <input type="checkbox" name={name} defaultChecked={defaultChecked} /> {label}
  </label>
);

export function RequestResetForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState(requestResetAction.bind(null, reference), {});
  return (
    <ActionForm action={action} state={state} className="space-y-3" aria-label="Request a password reset">
      <FormStateMessage state={state} success="Reset requested" error="Reset request error" />
      <SelectField label="Cohort" name="scope" defaultValue="ALL" error={state.fields?.scope}>
        <option value="ALL">All customers</option>
        <option value="AFFECTED">Customers affected by this incident</option>
      </SelectField>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Only customers…</legend>
        {check('onlyWithout2fa', 'without 2FA')}
        {check('onlyWithBalance', 'with a balance')}
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Actions</legend>
        {check('revokeSessions', 'Revoke sessions', true)}
        {check('revokeApiKeys', 'Revoke API keys')}
        {check('sendMail', 'Send reset mail (SECURITY stream)', true)}
      </fieldset>
      <TextField
        label="Lock withdrawals for (hours, empty = no lock)"
        name="lockWithdrawalsHours"
        type="number"
        min={1}
        max={720}
        error={state.fields?.lockWithdrawalsHours}
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? 'Counting…' : 'Request reset (count first, nothing happens yet)'}
      </Button>
    </ActionForm>
  );
}
