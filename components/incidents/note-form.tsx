'use client';

import { useActionState } from 'react';
import { addNoteAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, TextArea } from '@/components/ui/field';
import { INCIDENT_LIMITS } from '@/lib/incidents/schema';

export function NoteForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState(addNoteAction.bind(null, reference), {});
  return (
    <ActionForm resetOnSuccess action={action} state={state} className="space-y-2" aria-label="Add a note">
      {state.ok === false && (
        <FormMessage tone="error" name="Note error">
          {state.message}
        </FormMessage>
      )}
      <TextArea
        label="Note"
        name="message"
        rows={2}
        required
        maxLength={INCIDENT_LIMITS.note}
        error={state.fields?.message}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Adding…' : 'Add note'}
      </Button>
    </ActionForm>
  );
}
