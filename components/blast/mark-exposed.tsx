'use client';

import { useActionState, useState } from 'react';
import { markExposedAffectedAction } from '@/app/(console)/incidents/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage } from '@/components/ui/field';
import { count } from '@/lib/numbers';

/**
 * Makes the exposed customers the incident's AFFECTED set: the count is on the button, asked
 * again in the card (no browser dialog), and sent with the figures' version, so a log imported in
 * between is refused rather than marking a count nobody saw.
 */
export function MarkExposed({
  reference,
  version,
  customers,
}: {
  reference: string;
  version: number;
  customers: number;
}) {
  const [state, action, pending] = useActionState(markExposedAffectedAction.bind(null, reference), {});
  const [confirming, setConfirming] = useState(false);
  const shown = count(customers);
  return (
    <ActionForm
      action={action}
      state={state}
      className="space-y-2"
      aria-label="Mark the exposed customers affected"
      onSubmit={() => setConfirming(false)}
    >
      <FormStateMessage state={state} success="Exposed marked affected" error="Exposed not marked" />
      <input type="hidden" name="version" value={version} />
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm font-medium">
            Mark {shown} customers affected? Resets and notices to "affected customers" will reach them.
          </span>
          <Button type="submit" variant="danger" disabled={pending}>
            Yes, mark {shown} affected
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            Not now
          </Button>
        </div>
      ) : (
        <Button type="button" disabled={pending || customers === 0} onClick={() => setConfirming(true)}>
          Mark the {shown} exposed customers affected…
        </Button>
      )}
    </ActionForm>
  );
}
