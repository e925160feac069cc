'use client';

import { useActionState, useState } from 'react';
import { markAffectedAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage, FormStateMessage, TextArea } from '@/components/ui/field';

/** What one form post carries comfortably (a server action's body is limited to 1 MB). */
const MAX_CHARACTERS = 800_000;

/** Marks customers affected from a pasted list (external ids or emails, or a CSV's first column). */
export function AffectedForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState(markAffectedAction.bind(null, reference), {});
  // Too long a list is refused whole, never cut: a cut line could name another customer.
  const [tooLong, setTooLong] = useState<string | null>(null);
  return (
    // The list stays after marking: the lines that named nobody are named in the message, to fix.
    <ActionForm
      action={action}
      state={state}
      className="space-y-2"
      aria-label="Mark customers affected"
      onSubmit={(event) => {
        const length = String(new FormData(event.currentTarget).get('identifiers') ?? '').length;
        const message =
          length > MAX_CHARACTERS
            ? `This list has ${length.toLocaleString('en-US')} characters; the form takes ${MAX_CHARACTERS.toLocaleString('en-US')}. Send it through POST /api/v1/incidents/${reference}/affected instead, or in parts.`
            : null;
        setTooLong(message);
        if (message) event.preventDefault();
      }}
    >
      {tooLong ? (
        <FormMessage tone="error" name="Affected not marked">
          {tooLong}
        </FormMessage>
      ) : (
        <FormStateMessage state={state} success="Affected marked" error="Affected not marked" />
      )}
      <TextArea
        label="External ids or email addresses, one per line (or paste a CSV: its first column is read)"
        name="identifiers"
        rows={4}
        error={state.ok === false ? state.fields?.identifiers : undefined}
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
