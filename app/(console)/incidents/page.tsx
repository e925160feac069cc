import type { Metadata } from 'next';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Incidents' };

export default async function Page() {
  await requireStaff();
  return (
    <>
      <PageHeader title="Incidents" description="Declared breaches, their timelines and regulatory clocks." />
      <EmptyState title="No incidents have been declared." />
    </>
  );
}
