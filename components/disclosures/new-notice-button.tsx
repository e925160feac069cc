'use client';

import { useActionState } from 'react';
import { createDisclosureAction } from '@/app/(console)/disclosures/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage } from '@/components/ui/field';

/** Drafts a notice from the template and the incident's facts, and opens it. */
export function NewNoticeButton({ reference, label = 'New notice' }: { reference: string; label?: string }) {
  const [state, action, pending] = useActionState(createDisclosureAction.bind(null, reference), {});
  return (
    <ActionForm action={action} state={state} aria-label={`New notice for ${reference}`} className="space-y-2">
      <FormStateMessage state={state} success="Notice drafted" error="Notice not drafted" />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Drafting…' : label}
      </Button>
    </ActionForm>
  );
}
