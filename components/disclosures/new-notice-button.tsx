'use client';

import { useActionState } from 'react';
import { createDisclosureAction } from '@/app/(console)/disclosures/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage } from '@/components/ui/field';

/**
 * Drafts a notice from the template and the incident's facts, and opens it. When the incident has
 * notices already (`existing`), it asks first: a second notice is rarely what was meant.
 */
export function NewNoticeButton({
  reference,
  label = 'New notice',
  existing = 0,
}: {
  reference: string;
  label?: string;
  existing?: number;
}) {
  const [state, action, pending] = useActionState(createDisclosureAction.bind(null, reference), {});
  return (
    <ActionForm
      action={action}
      state={state}
      aria-label={`New notice for ${reference}`}
      className="space-y-2"
      onSubmit={(event) => {
        if (existing > 0 && !window.confirm(`${reference} has ${existing} notice(s) already. Draft another one?`))
          event.preventDefault();
      }}
    >
      <FormStateMessage state={state} success="Notice drafted" error="Notice not drafted" />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Drafting…' : label}
      </Button>
    </ActionForm>
  );
}
