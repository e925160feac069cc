import type { Metadata } from 'next';
import Link from 'next/link';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import { requireStaff } from '@/lib/auth/session';
import { listSinkMessages, SINK_PAGE } from '@/lib/mail/status';

export const metadata: Metadata = { title: 'Delivered mail (local sink)' };

type Props = { searchParams: Promise<{ page?: string }> };

export default async function SinkPage({ searchParams }: Props) {
  const actor = await requireStaff();
  const page = Math.max(1, Number.parseInt((await searchParams).page ?? '1', 10) || 1);
  const { messages, total } = await listSinkMessages(actor, page);
  const pages = Math.max(1, Math.ceil(total / SINK_PAGE));
  return (
    <>
      <PageHeader
        title="Delivered mail (local sink)"
        description={`What the embedded SMTP sink received, envelope as sent, newest first: ${total.toLocaleString('en-US')} message(s). Encoded subjects and names are shown decoded. With SMTP_URL set to a real server, mail goes there instead.`}
      >
        <AutoRefresh seconds={5} />
      </PageHeader>
      {messages.length === 0 ? (
        <EmptyState title="The sink has received nothing yet." />
      ) : (
        <Table headers={['Received', 'Envelope RCPT', 'To header', 'Cc / Bcc', 'Subject']}>
          {messages.map((m) => (
            <tr key={m.id}>
              <td className="whitespace-nowrap px-3 py-2 text-xs">
                <LocalTime iso={m.receivedAt.toISOString()} showUtc={false} />
              </td>
              <td className="px-3 py-2 font-mono text-xs">{m.rcptTo.join(', ')}</td>
              <td className="px-3 py-2 font-mono text-xs">{m.headerTo}</td>
              <td className="px-3 py-2 text-xs">
                {m.headerCc || m.headerBcc ? (
                  <span className="font-semibold text-red-700">
                    {[m.headerCc, m.headerBcc].filter(Boolean).join(' / ')}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td className="px-3 py-2">{m.subject}</td>
            </tr>
          ))}
        </Table>
      )}
      {pages > 1 && (
        <nav aria-label="Pages" className="mt-4 flex items-center gap-4 text-sm">
          {page > 1 && (
            <Link href={`/mail/sink?page=${page - 1}`} className="underline">
              ← Newer
            </Link>
          )}
          <span>
            Page {page} of {pages.toLocaleString('en-US')}
          </span>
          {page < pages && (
            <Link href={`/mail/sink?page=${page + 1}`} className="underline">
              Older →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
