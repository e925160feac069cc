'use client';

import { resetTotpAction } from '@/app/(console)/staff/actions';
import { Badge } from '@/components/ui/badge';
import { RowAction } from '@/components/ui/row-action';

/** "On", with an ADMIN's reset for a lost phone (confirmed, audited; the page then shows "off"). */
export function ResetTotpButton({ email }: { email: string }) {
  return (
    <RowAction
      action={resetTotpAction}
      fields={{ email }}
      label="Reset"
      accessibleName={`Reset two-factor of ${email}`}
      confirm={`Reset two-factor sign-in of ${email}? Only do this once you have verified who is asking.`}
      before={<Badge tone="good">on</Badge>}
    />
  );
}
