import type { Metadata } from 'next';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Response status' };

export default async function Page() {
  await requireStaff();
  return (
    <>
      <PageHeader title="Response status" description="Every open incident at a glance: severity, status, age and the nearest deadline." />
      <EmptyState title="No open incidents." />
    </>
  );
}
