import type { Metadata } from 'next';
import { PageHeader } from '@/components/console/page-header';
import { TokenTable } from '@/components/profile/api-tokens';
import { CreateStaffForm } from '@/components/staff/create-staff-form';
import { ManageAccount } from '@/components/staff/manage-account';
import { ResetTotpButton } from '@/components/staff/reset-totp-button';
import { UnlockButton } from '@/components/staff/unlock-button';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table } from '@/components/ui/table';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { tokenRows } from '@/lib/auth/token-view';
import { listApiTokens } from '@/lib/auth/tokens';
import { listStaff } from '@/lib/staff';

export const metadata: Metadata = { title: 'Staff' };

export default async function StaffPage() {
  const actor = await requireStaff();
  if (!can(actor, 'staff.manage')) {
    return <PageHeader title="Staff" description="Only an ADMIN can manage staff accounts." />;
  }
  const staff = await listStaff(actor);
  const tokens = tokenRows(await listApiTokens(actor, { all: true }));
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Staff"
        description="Console accounts and their roles, and every API token. Each person creates their own tokens under Your account."
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <Table label="Staff accounts" headers={['Name', 'Email', 'Role', 'State', 'Two-factor', '']}>
            {staff.map((user) => (
              <tr key={user.id}>
                <td className="px-3 py-2">
                  {user.name}{' '}
                  {user.ssoIssuer && (
                    <span title={`Signs in through ${user.ssoIssuer}; the role follows its groups at each sign-in`}>
                      <Badge>SSO</Badge>
                    </span>
                  )}
                </td>
                <td className="px-3 py-2">{user.email}</td>
                <td className="px-3 py-2">
                  <Badge>{user.role}</Badge>
                </td>
                <td className="px-3 py-2">
                  {user.disabledAt ? (
                    <Badge tone="bad">disabled</Badge>
                  ) : user.lockedUntil && user.lockedUntil > now ? (
                    <UnlockButton email={user.email} />
                  ) : (
                    <Badge tone="good">active</Badge>
                  )}
                </td>
                <td className="px-3 py-2">
                  {user.totpEnabledAt ? <ResetTotpButton email={user.email} /> : <Badge tone="warn">off</Badge>}
                </td>
                <td className="px-3 py-2">
                  <ManageAccount email={user.email} role={user.role} disabled={Boolean(user.disabledAt)} />
                </td>
              </tr>
            ))}
          </Table>
        </div>
        <Card title="New staff account">
          <CreateStaffForm />
        </Card>
        <div className="min-w-0 lg:col-span-3">
          <Card title="API tokens (everyone's)">
            <TokenTable tokens={tokens} showOwner />
          </Card>
        </div>
      </div>
    </>
  );
}
