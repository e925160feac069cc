import type { Metadata } from 'next';
import { PageHeader } from '@/components/console/page-header';
import { TwoFactorPanel } from '@/components/profile/two-factor-panel';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requireStaff } from '@/lib/auth/session';
import { totpStatus } from '@/lib/auth/totp';

export const metadata: Metadata = { title: 'Your account' };

export default async function ProfilePage() {
  const actor = await requireStaff();
  const status = await totpStatus(actor);
  return (
    <>
      <PageHeader title="Your account" description={`${actor.name} · ${actor.email}`}>
        <Badge>{actor.role}</Badge>
      </PageHeader>
      <div className="max-w-2xl">
        <Card title="Two-factor sign-in">
          <TwoFactorPanel status={status} />
        </Card>
      </div>
    </>
  );
}
