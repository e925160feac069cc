'use client';

import { unlockStaffAction } from '@/app/(console)/staff/actions';
import { Badge } from '@/components/ui/badge';
import { RowAction } from '@/components/ui/row-action';

/** "locked", with an ADMIN's unlock (audited; the page then shows "active"). */
export function UnlockButton({ email }: { email: string }) {
  return (
    <RowAction
      action={unlockStaffAction}
      fields={{ email }}
      label="Unlock"
      accessibleName={`Unlock ${email}`}
      before={<Badge tone="warn">locked</Badge>}
    />
  );
}
