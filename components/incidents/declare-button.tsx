import Link from 'next/link';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';

/** The red "Declare a breach" for whoever may declare (SECURITY/ADMIN): on the landing page and the incident list. */
export function DeclareButton({ actor }: { actor: StaffActor }) {
  if (!can(actor, 'incident.declare')) return null;
  return (
    <Link
      href="/incidents/new"
      className="rounded-md bg-red-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-700"
    >
      Declare a breach
    </Link>
  );
}
