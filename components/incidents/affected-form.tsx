'use client';

import { useActionState } from 'react';
import { markAffectedAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, TextArea } from '@/components/ui/field';

/** Marks customers affected from a pasted list (external ids or emails, or a CSV's first column). */
export function AffectedForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState(markAffectedAction.bind(null, reference), {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} className="space-y-2" aria-label="Mark customers affected">
      <FormStateMessage state={state} success="Affected marked" error="Affected not marked" />
      <TextArea
        label="External ids or email addresses, one per line (or paste a CSV: its first column is read)"
        name="identifiers"
        rows={4}
        maxLength={800_000}
        error={state.ok === false ? state.message : undefined}
      />
      <p className="text-xs text-slate-600">
        Up to about 20,000 lines here; a longer list goes through POST /api/v1/incidents/{reference}/affected.
      </p>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Marking…' : 'Mark affected'}
      </Button>
    </ActionForm>
  );
}
