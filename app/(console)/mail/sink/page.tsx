import type { Metadata } from 'next';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { LocalTime } from '@/components/ui/local-time';
import { Table } from '@/components/ui/table';
import { requireStaff } from '@/lib/auth/session';
import { listSinkMessages } from '@/lib/mail/status';

export const metadata: Metadata = { title: 'Delivered mail (local sink)' };

export default async function SinkPage() {
  const actor = await requireStaff();
  const { messages, total } = await listSinkMessages(actor);
  return (
    <>
      <PageHeader
        title="Delivered mail (local sink)"
        description={`What the embedded SMTP sink received, envelope as sent: ${total.toLocaleString()} message(s), newest 200 shown. With SMTP_URL set to a real server, mail goes there instead.`}
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
    </>
  );
}
