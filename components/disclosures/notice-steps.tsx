'use client';

import { useActionState, useState } from 'react';
import { decideDisclosureAction } from '@/app/(console)/disclosures/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormStateMessage, SelectField } from '@/components/ui/field';

type Step = 'submit' | 'approve' | 'publish' | null;

/**
 * The next step of a notice, for whoever may take it: submit a complete draft, approve the exact
 * revision shown (its number and hash go with the approval), or publish an approved one (with who
 * is mailed, and a warning when notice mail would be held by a freeze).
 */
export function NoticeSteps({
  id,
  step,
  revision,
  contentHash,
  frozen,
  blocked,
}: {
  id: string;
  step: Step;
  revision: number;
  contentHash: string;
  /** The frozen mail streams: SECURITY holds the mail to customers, BULK the mail to the page's subscribers. */
  frozen: string[];
  /** Why the step cannot be taken yet (the gate's problems), if it cannot. */
  blocked?: string;
}) {
  const [state, action, pending] = useActionState(decideDisclosureAction.bind(null, id), {});
  // Approving and publishing ask first, in the page (a browser that suppresses dialogs must not
  // turn the button into one that silently does nothing).
  const [confirming, setConfirming] = useState(false);
  if (!step) return <FormStateMessage state={state} success="Notice step done" error="Notice step refused" />;
  return (
    <ActionForm
      action={action}
      state={state}
      aria-label="Next step of the notice"
      className="space-y-3"
      onSubmit={() => setConfirming(false)}
    >
      <FormStateMessage state={state} success="Notice step done" error="Notice step refused" />
      <input type="hidden" name="step" value={step} />
      <input type="hidden" name="revision" value={revision} />
      <input type="hidden" name="contentHash" value={contentHash} />
      {step === 'publish' && (
        <>
          <SelectField label="Mail the notice to" name="notify" defaultValue="NONE">
            <option value="NONE">No customers (the status page, its feed and its email subscribers only)</option>
            <option value="AFFECTED">The affected customers (and the status page's subscribers)</option>
            <option value="ALL">All customers (and the status page's subscribers)</option>
          </SelectField>
          {(frozen.includes('SECURITY') || frozen.includes('BULK')) && (
            <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-300">
              {[
                frozen.includes('SECURITY') && 'Mail to customers (SECURITY)',
                frozen.includes('BULK') &&
                  `${frozen.includes('SECURITY') ? 'mail' : 'Mail'} to the status page's subscribers (BULK)`,
              ]
                .filter(Boolean)
                .join(' and ')}{' '}
              will be held by the freeze until the stream is unfrozen and the mail released on Mail. The page itself is
              public at once.
            </p>
          )}
        </>
      )}
      {blocked && <p className="text-sm text-red-800">{blocked}</p>}
      {step === 'submit' ? (
        <Button type="submit" disabled={pending || Boolean(blocked)}>
          Submit for approval
        </Button>
      ) : !confirming ? (
        <Button
          type="button"
          variant={step === 'publish' ? 'danger' : 'primary'}
          disabled={pending || Boolean(blocked)}
          onClick={() => setConfirming(true)}
        >
          {step === 'approve' ? `Approve revision ${revision}` : `Publish revision ${revision}`}
        </Button>
      ) : (
        <div className="space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <p className="text-sm font-medium">
            {step === 'approve'
              ? `Approve revision ${revision} exactly as shown?`
              : `Publish revision ${revision}? It becomes public and signed, and cannot be edited in place.`}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant={step === 'publish' ? 'danger' : 'primary'} disabled={pending}>
              {step === 'approve' ? `Yes, approve revision ${revision}` : `Yes, publish revision ${revision}`}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
              Not now
            </Button>
          </div>
        </div>
      )}
    </ActionForm>
  );
}
