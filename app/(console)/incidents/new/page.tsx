import type { Metadata } from 'next';
import { PageHeader } from '@/components/console/page-header';
import { DeclareForm } from '@/components/incidents/declare-form';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Declare a breach' };

export default async function DeclarePage() {
  const actor = await requireStaff();
  if (!can(actor, 'incident.declare')) {
    return <PageHeader title="Declare a breach" description="Only SECURITY and ADMIN can declare incidents." />;
  }
  return (
    <>
      <PageHeader
        title="Declare a breach"
        description="Opens the incident record and starts the regulatory clocks from the time of detection."
      />
      <DeclareForm />
    </>
  );
}
