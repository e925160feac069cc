import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { KIND_LABELS, SeverityBadge, StatusBadge } from '@/components/incidents/badges';
import { DeclareButton } from '@/components/incidents/declare-button';
import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import { requireStaff } from '@/lib/auth/session';
import { listIncidents } from '@/lib/incidents';

export const metadata: Metadata = { title: 'Incidents' };

export default async function IncidentsPage() {
  const actor = await requireStaff();
  const incidents = await listIncidents(actor);
  return (
    <>
      <PageHeader title="Incidents" description="Declared breaches, their timelines and regulatory clocks.">
        <DeclareButton actor={actor} />
      </PageHeader>
      {incidents.length === 0 ? (
        <EmptyState title="No incidents have been declared." />
      ) : (
        <Table headers={['Reference', 'Title', 'Severity', 'Status', 'Kind', 'Declared', 'Commander']}>
          {incidents.map((incident) => (
            <tr key={incident.id}>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                <Link href={`/incidents/${incident.reference}`} className="font-semibold text-slate-900 underline">
                  {incident.reference}
                </Link>
              </td>
              <td className="px-3 py-2">{incident.title}</td>
              <td className="px-3 py-2">
                <SeverityBadge severity={incident.severity} />
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={incident.status} />
              </td>
              <td className="px-3 py-2 text-slate-600">{KIND_LABELS[incident.kind]}</td>
              <td className="whitespace-nowrap px-3 py-2">
                <LocalTime iso={incident.declaredAt.toISOString()} showUtc={false} />
              </td>
              <td className="px-3 py-2">{incident.commander?.name ?? '—'}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
