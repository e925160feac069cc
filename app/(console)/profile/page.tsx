import type { Metadata } from 'next';
import { PageHeader } from '@/components/console/page-header';
import { CreateTokenForm, TokenTable } from '@/components/profile/api-tokens';
import { PasswordForm } from '@/components/profile/password-form';
import { TwoFactorPanel } from '@/components/profile/two-factor-panel';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requireStaff } from '@/lib/auth/session';
import { tokenRows } from '@/lib/auth/token-view';
import { listApiTokens } from '@/lib/auth/tokens';
import { totpStatus } from '@/lib/auth/totp';

export const metadata: Metadata = { title: 'Your account' };

export default async function ProfilePage() {
  const actor = await requireStaff();
  const status = await totpStatus(actor);
  const tokens = tokenRows(await listApiTokens(actor));
  return (
    <>
      <PageHeader title="Your account" description={`${actor.name} · ${actor.email}`}>
        <Badge>{actor.role}</Badge>
      </PageHeader>
      <div className="max-w-3xl space-y-6">
        <Card title="Password">
          <PasswordForm />
        </Card>
        <Card title="Two-factor sign-in">
          <TwoFactorPanel status={status} />
        </Card>
        <Card title="Your API tokens">
          <p className="mb-3 text-sm text-slate-600">
            A token acts as you, with your role, for automation. Only you create yours; it expires (90 days unless you
            choose), and revoking it stops it at once.
          </p>
          <div className="space-y-4">
            <TokenTable tokens={tokens} />
            <CreateTokenForm />
          </div>
        </Card>
      </div>
    </>
  );
}
