'use client';

import { useActionState, useState } from 'react';
import { decideResetAction } from '@/app/(console)/incidents/reset-actions';
import { Button } from '@/components/ui/button';
import { FormStateMessage } from '@/components/ui/field';

/** Approve (a second person) or cancel a pending reset; approval is confirmed with the count. */
export function DecideResetForm({
  reference,
  campaignId,
  count,
  canApprove,
}: {
  reference: string;
  campaignId: string;
  count: number;
  canApprove: boolean;
}) {
  const [state, action, pending] = useActionState(decideResetAction.bind(null, reference, campaignId), {});
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={action} className="space-y-2" aria-label="Decide on the reset">
      <FormStateMessage state={state} success="Reset decision done" error="Reset decision error" />
      <div className="flex flex-wrap gap-2">
        {canApprove && !confirming && (
          <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
            Approve…
          </Button>
        )}
        {confirming && (
          <Button type="submit" name="decision" value="approve" variant="danger" disabled={pending}>
            Reset passwords of {count.toLocaleString('en-US')} customers now?
          </Button>
        )}
        <Button type="submit" name="decision" value="cancel" variant="secondary" disabled={pending}>
          Cancel request
        </Button>
      </div>
    </form>
  );
}
