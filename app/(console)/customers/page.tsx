import type { Metadata } from 'next';
import { PageHeader } from '@/components/console/page-header';
import { CredentialChanges } from '@/components/customers/credential-changes';
import { ImportForm } from '@/components/customers/import-form';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { directorySummary } from '@/lib/customers/summary';

export const metadata: Metadata = { title: 'Customers' };

export default async function CustomersPage() {
  const actor = await requireStaff();
  const summary = await directorySummary(actor);
  const figures = [
    ['Customers', summary.total],
    ['Active', summary.active],
    ['Must reset password', summary.mustReset],
    ['Without 2FA', summary.without2fa],
    ['With a balance', summary.withBalance],
    ['Live sessions', summary.liveSessions],
  ] as const;
  return (
    <>
      <PageHeader
        title="Customers"
        description="The exchange's user directory that password resets act on. Imports are all or nothing: a bad row is reported by line number and nothing is applied."
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:col-span-2">
          {figures.map(([label, value]) => (
            <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
              <dt className="text-xs uppercase text-slate-500">{label}</dt>
              <dd className="mt-1 font-mono text-xl font-semibold">{value.toLocaleString('en-US')}</dd>
            </div>
          ))}
        </dl>
        {can(actor, 'customers.import') && (
          <Card title="Import">
            <p className="mb-3 text-xs text-slate-600">
              Columns / keys: externalId, email, passwordHash (argon2, optional), twoFactorEnabled, hasBalance, status.
              Upserts by externalId.
            </p>
            <ImportForm />
          </Card>
        )}
      </div>
      {can(actor, 'customers.import') && (
        <Card title="Credential changes" className="mt-6">
          <p className="mb-3 text-xs text-slate-600">
            An import never changes an existing customer&apos;s email or password hash on its own: that would hand over
            the account. Asked for with a reason, the changes wait here until a second SECURITY or ADMIN person
            approves; then each customer&apos;s sessions end.
          </p>
          <CredentialChanges actor={actor} />
        </Card>
      )}
    </>
  );
}
