import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { NewNoticeButton } from '@/components/disclosures/new-notice-button';
import { NoticeStatus } from '@/components/disclosures/notice-status';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { listAllDisclosures } from '@/lib/disclosures';
import { listIncidents } from '@/lib/incidents';

export const metadata: Metadata = { title: 'Disclosures' };

export default async function Page() {
  const actor = await requireStaff();
  const [notices, open] = await Promise.all([listAllDisclosures(actor), listIncidents(actor, { open: true })]);
  return (
    <>
      <PageHeader
        title="Disclosures"
        description="Notices to customers: drafted from the incident's facts, approved revision by revision by someone other than their author, published signed."
      />
      {can(actor, 'disclosure.draft') && open.length > 0 && (
        <Card title="Draft a notice" className="mb-4">
          <ul className="space-y-3">
            {open.map((incident) => (
              <li key={incident.id} className="flex flex-wrap items-center gap-3 text-sm">
                <span className="font-mono text-slate-500">{incident.reference}</span>
                <span className="font-medium">{incident.title}</span>
                <NewNoticeButton
                  reference={incident.reference}
                  label="New notice from the facts"
                  existing={notices.filter((n) => n.incident.reference === incident.reference).length}
                />
              </li>
            ))}
          </ul>
        </Card>
      )}
      {notices.length === 0 ? (
        <EmptyState title="No notice drafted yet." />
      ) : (
        <Table headers={['Status', 'Notice', 'Incident', 'Revision', 'Updated']} label="Notices">
          {notices.map((n) => (
            <tr key={n.id} className="border-t border-slate-100">
              <td className="px-3 py-2">
                <NoticeStatus status={n.status} />
              </td>
              <td className="px-3 py-2">
                <Link href={`/disclosures/${n.id}`} className="font-medium text-sky-800 underline">
                  {n.revisions[0]?.title}
                </Link>
              </td>
              <td className="px-3 py-2">
                <Link href={`/incidents/${n.incident.reference}`} className="font-mono text-xs">
                  {n.incident.reference}
                </Link>
              </td>
              <td className="px-3 py-2">
                {n.latestRevision}
                {n.publishedRevision ? ` (public: ${n.publishedRevision})` : ''}
              </td>
              <td className="px-3 py-2">
                <LocalTime iso={n.updatedAt.toISOString()} showUtc={false} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
