'use client';

import { useActionState } from 'react';
import { updateIncidentAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';
import { SEVERITIES, STATUSES } from '@/lib/incidents/schema';

export function UpdateForm({ reference, status, severity }: { reference: string; status: string; severity: string }) {
  const [state, action, pending] = useActionState(updateIncidentAction.bind(null, reference), {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} className="space-y-3" aria-label="Update incident">
      <FormStateMessage state={state} success="Update done" error="Update error" />
      <div className="grid grid-cols-2 gap-3">
        <SelectField label="Status" name="status" defaultValue={status} key={`s-${status}`}>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </SelectField>
        <SelectField label="Severity" name="severity" defaultValue={severity} key={`v-${severity}`}>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Reason (required to move status back)"
        name="reason"
        maxLength={2000}
        error={state.fields?.reason}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Update'}
      </Button>
    </ActionForm>
  );
}
