'use client';

import { useActionState, useState } from 'react';
import { recordMilestoneAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField, TextField } from '@/components/ui/field';
import { TimezoneField } from '@/components/ui/timezone-field';
import { MILESTONE_KINDS, MILESTONE_LABELS } from '@/lib/clocks/definitions';
import { INCIDENT_LIMITS } from '@/lib/incidents/schema';

export function MilestoneForm({ reference, reports }: { reference: string; reports: { id: string; title: string }[] }) {
  const [state, action, pending] = useActionState(recordMilestoneAction.bind(null, reference), {});
  const [kind, setKind] = useState<string>('CLASSIFIED_MAJOR');
  return (
    <ActionForm resetOnSuccess action={action} state={state} className="space-y-3" aria-label="Record a milestone">
      <FormStateMessage state={state} success="Milestone recorded" error="Milestone error" />
      <SelectField
        label="Milestone"
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value)}
        error={state.fields?.kind}
      >
        {MILESTONE_KINDS.map((k) => (
          <option key={k} value={k}>
            {MILESTONE_LABELS[k]}
          </option>
        ))}
      </SelectField>
      {kind === 'REPORT_FILED' && (
        <SelectField label="Which report" name="report" error={state.fields?.report}>
          {reports.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        label="When (your local time; empty = now)"
        name="occurredAt"
        type="datetime-local"
        error={state.fields?.occurredAt}
      />
      <TimezoneField />
      <TextField
        label="Note (optional)"
        name="note"
        maxLength={INCIDENT_LIMITS.milestoneNote}
        error={state.fields?.note}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Recording…' : 'Record milestone'}
      </Button>
    </ActionForm>
  );
}
