import type { Metadata } from 'next';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Mail' };

export default async function Page() {
  await requireStaff();
  return (
    <>
      <PageHeader title="Mail" description="Outbound mail by stream, freeze state and the held queue." />
      <EmptyState title="No outbound mail yet." />
    </>
  );
}
