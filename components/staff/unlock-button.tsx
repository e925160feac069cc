'use client';

import { useActionState } from 'react';
import { unlockStaffAction } from '@/app/(console)/staff/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';

/** "locked", with an ADMIN's unlock (audited; the page then shows "active"). */
export function UnlockButton({ email }: { email: string }) {
  const [state, action, pending] = useActionState(unlockStaffAction, {});
  return (
    <form action={action} className="flex items-center gap-2">
      <Badge tone="warn">locked</Badge>
      <input type="hidden" name="email" value={email} />
      <Button
        type="submit"
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={pending}
        aria-label={`Unlock ${email}`}
      >
        Unlock
      </Button>
      {state.ok === false && <span className="text-xs text-red-700">{state.message}</span>}
    </form>
  );
}
