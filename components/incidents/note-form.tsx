'use client';

import { useActionState, useEffect, useRef } from 'react';
import { addNoteAction } from '@/app/(console)/incidents/actions';
import { Button } from '@/components/ui/button';
import { FormMessage, TextArea } from '@/components/ui/field';

export function NoteForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState(addNoteAction.bind(null, reference), {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={action} className="space-y-2" aria-label="Add a note">
      {state.ok === false && (
        <FormMessage tone="error" name="Note error">
          {state.message}
        </FormMessage>
      )}
      <TextArea label="Note" name="message" rows={2} required />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Adding…' : 'Add note'}
      </Button>
    </form>
  );
}
