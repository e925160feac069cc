'use client';

import { useActionState } from 'react';
import { declareIncidentAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, SelectField, TextArea, TextField } from '@/components/ui/field';
import { TimezoneField } from '@/components/ui/timezone-field';
import { INCIDENT_KINDS, INCIDENT_LIMITS, SEVERITIES } from '@/lib/incidents/schema';
import { KIND_LABELS } from './badges';

export function DeclareForm() {
  const [state, action, pending] = useActionState(declareIncidentAction, {});
  const f = state.fields ?? {};
  return (
    <ActionForm action={action} state={state} className="max-w-2xl space-y-4" noValidate>
      {state.ok === false && (
        <FormMessage tone="error" name="Declare error">
          {state.message}
        </FormMessage>
      )}
      <TextField
        label="Title"
        name="title"
        required
        maxLength={INCIDENT_LIMITS.title}
        placeholder="e.g. Bulk mail tool exposed customer addresses"
        error={f.title}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Kind" name="kind" defaultValue="DATA_BREACH" error={f.kind}>
          {INCIDENT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Severity" name="severity" defaultValue="SEV1" error={f.severity}>
          {SEVERITIES.map((severity) => (
            <option key={severity}>{severity}</option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Detected at (your local time; empty = now)"
        name="detectedAt"
        type="datetime-local"
        error={f.detectedAt}
      />
      <TimezoneField />
      <TextArea
        label="Summary"
        name="summary"
        rows={5}
        required
        maxLength={INCIDENT_LIMITS.summary}
        placeholder="What happened, what is known, what is being done."
        error={f.summary}
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? 'Declaring…' : 'Declare breach'}
      </Button>
    </ActionForm>
  );
}
