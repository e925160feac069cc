'use client';

import { useActionState } from 'react';
import { resetTotpAction } from '@/app/(console)/staff/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';

/** "On", with an ADMIN's reset for a lost phone (confirmed, audited; the page then shows "off"). */
export function ResetTotpButton({ email }: { email: string }) {
  const [state, action, pending] = useActionState(resetTotpAction, {});
  return (
    <form
      action={action}
      className="flex items-center gap-2"
      onSubmit={(event) => {
        if (!window.confirm(`Reset two-factor sign-in of ${email}? Only do this once you have verified who is asking.`))
          event.preventDefault();
      }}
    >
      <Badge tone="good">on</Badge>
      <input type="hidden" name="email" value={email} />
      <Button
        type="submit"
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={pending}
        aria-label={`Reset two-factor of ${email}`}
      >
        Reset
      </Button>
      {state.ok === false && <span className="text-xs text-red-700">{state.message}</span>}
    </form>
  );
}
