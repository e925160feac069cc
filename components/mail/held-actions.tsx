'use client';

import { useActionState, useState } from 'react';
import { heldAction } from '@/app/(console)/mail/actions';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';

/**
 * Release or cancel the held messages of one stream; the count is shown before anything happens,
 * with "Not now" beside it. A frozen stream offers no release (nothing would be sent): it says to
 * unfreeze first.
 */
export function HeldActions({ stream, held, frozen }: { stream: string; held: number; frozen: boolean }) {
  const [state, action, pending] = useActionState(heldAction, {});
  const [dismissed, setDismissed] = useState<object | null>(null);
  const pendingConfirm =
    state.ok && state.result && !state.result.confirmed && dismissed !== state ? state.result : null;
  return (
    <div className="space-y-2" data-testid={`held-${stream}`}>
      {state.ok === false && (
        <FormMessage tone="error" name="Held mail error">
          {state.message}
        </FormMessage>
      )}
      {state.ok && state.result?.confirmed && (
        <FormMessage tone="success" name="Held mail done">
          {state.result.operation === 'release' ? 'Released' : 'Cancelled'} {state.result.count.toLocaleString()}{' '}
          message(s).
        </FormMessage>
      )}
      {pendingConfirm ? (
        <ActionForm action={action} state={state} className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="stream" value={stream} />
          <input type="hidden" name="operation" value={pendingConfirm.operation} />
          <input type="hidden" name="confirm" value="yes" />
          <span className="text-sm font-semibold">
            {pendingConfirm.operation === 'release' ? 'Send' : 'Cancel'} {pendingConfirm.count.toLocaleString()} held{' '}
            {stream} message(s)?
          </span>
          <Button
            type="submit"
            variant={pendingConfirm.operation === 'release' ? 'primary' : 'danger'}
            disabled={pending || pendingConfirm.count === 0}
          >
            Confirm {pendingConfirm.operation}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setDismissed(state)} disabled={pending}>
            Not now
          </Button>
        </ActionForm>
      ) : (
        <ActionForm action={action} state={state} className="flex gap-2">
          <input type="hidden" name="stream" value={stream} />
          {frozen ? (
            <p className="text-sm text-slate-700">Unfreeze {stream} (below), then release them here.</p>
          ) : (
            <Button type="submit" name="operation" value="release" variant="secondary" disabled={pending || held === 0}>
              Release…
            </Button>
          )}
          <Button type="submit" name="operation" value="cancel" variant="secondary" disabled={pending || held === 0}>
            Cancel…
          </Button>
        </ActionForm>
      )}
    </div>
  );
}
