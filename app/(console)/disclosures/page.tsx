import type { Metadata } from 'next';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Disclosures' };

export default async function Page() {
  await requireStaff();
  return (
    <>
      <PageHeader
        title="Disclosures"
        description="Disclosure notices: drafts, reviews, approvals and what the public sees."
      />
      <EmptyState title="No disclosures drafted." />
    </>
  );
}
