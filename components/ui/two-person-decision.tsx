'use client';

import { useActionState, useState } from 'react';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage } from '@/components/ui/field';
import type { FormState } from '@/lib/form-state';

/**
 * The second person's decision on a request (a reset, credential changes): approve — in two
 * steps, the second naming what will happen — or cancel, also in two steps; "Not now" closes
 * either confirmation without deciding. The action receives `decision` =
 * `approve` | `cancel`. Whoever may not approve (the requester, or a role without the right) sees
 * only cancel, and `note` says why when given.
 */
export function TwoPersonDecision({
  action: decide,
  name,
  canApprove,
  confirmation,
  note,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  /** What is decided on, for the form's accessible name and its messages ("the reset"). */
  name: string;
  canApprove: boolean;
  /** The approve button's second step: what approving does, with its count. */
  confirmation: string;
  note?: string;
}) {
  const [state, action, pending] = useActionState(decide, {});
  // Which decision is being confirmed: neither is one click (cancelling means requesting again).
  const [confirming, setConfirming] = useState<'approve' | 'cancel' | null>(null);
  return (
    <ActionForm action={action} state={state} className="space-y-2" aria-label={`Decide on ${name}`}>
      <FormStateMessage state={state} success={`Decision on ${name} done`} error={`Decision on ${name} refused`} />
      {note && <p className="text-xs text-slate-600">{note}</p>}
      <div className="flex flex-wrap gap-2">
        {confirming === null && (
          <>
            {canApprove && (
              <Button type="button" variant="danger" onClick={() => setConfirming('approve')}>
                Approve…
              </Button>
            )}
            <Button type="button" variant="secondary" onClick={() => setConfirming('cancel')}>
              Cancel request…
            </Button>
          </>
        )}
        {confirming === 'approve' && (
          <Button type="submit" name="decision" value="approve" variant="danger" disabled={pending}>
            {confirmation}
          </Button>
        )}
        {confirming === 'cancel' && (
          <Button type="submit" name="decision" value="cancel" variant="danger" disabled={pending}>
            Yes, cancel the request
          </Button>
        )}
        {confirming !== null && (
          <Button type="button" variant="secondary" onClick={() => setConfirming(null)} disabled={pending}>
            Not now
          </Button>
        )}
      </div>
    </ActionForm>
  );
}
