'use client';

import { useActionState, useState } from 'react';
import { decideCredentialChangesAction } from '@/app/(console)/customers/actions';
import { Button } from '@/components/ui/button';
import { FormStateMessage } from '@/components/ui/field';

/** Approve (a second person, confirmed with the count) or cancel credential changes. */
export function DecideCredentialChangesForm({
  requestId,
  count,
  ownRequest,
}: {
  requestId: string;
  count: number;
  ownRequest: boolean;
}) {
  const [state, action, pending] = useActionState(decideCredentialChangesAction.bind(null, requestId), {});
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={action} className="space-y-2" aria-label="Decide on the credential changes">
      <FormStateMessage state={state} success="Credential changes decided" error="Credential changes error" />
      {ownRequest && (
        <p className="text-xs text-slate-600">You requested these changes: a second person must approve them.</p>
      )}
      <div className="flex flex-wrap gap-2">
        {!ownRequest && !confirming && (
          <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
            Approve…
          </Button>
        )}
        {confirming && (
          <Button type="submit" name="decision" value="approve" variant="danger" disabled={pending}>
            Change the credentials of {count.toLocaleString('en-US')} customers and end their sessions?
          </Button>
        )}
        <Button type="submit" name="decision" value="cancel" variant="secondary" disabled={pending}>
          Cancel request
        </Button>
      </div>
    </form>
  );
}
