import type { Metadata } from 'next';
import { AddChannelForm, MarkChannelForm } from '@/components/channels/channel-forms';
import { EmptyState, PageHeader } from '@/components/console/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { listChannels } from '@/lib/channels';
import { listIncidents } from '@/lib/incidents';

export const metadata: Metadata = { title: 'Channels' };

const TONE = { TRUSTED: 'good', COMPROMISED: 'bad', RECOVERED: 'warn' } as const;

export default async function Page() {
  const actor = await requireStaff();
  const [channels, open] = await Promise.all([listChannels(actor), listIncidents(actor, { open: true })]);
  const mayMark = can(actor, 'channel.mark');
  return (
    <>
      <PageHeader
        title="Official channels"
        description="What the public status page lists as ours. Marking one compromised puts a red warning at the top of /status within a second: one person, a reason, no approval. Every change is signed like a notice."
      />
      <p className="mb-4 text-sm">
        <a href="/status" className="text-sky-800 underline">
          Open the public status page
        </a>
      </p>
      {channels.length === 0 ? (
        <EmptyState title="No official channel is listed yet." />
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {channels.map((c) => (
            <li key={c.id} className="min-w-0">
              <Card title={c.label}>
                <p className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone={TONE[c.status]}>{c.status}</Badge>
                  <span>
                    since <LocalTime iso={c.since.toISOString()} />
                  </span>
                </p>
                {c.url && <p className="mt-1 break-all text-sm text-slate-600">{c.url}</p>}
                {c.publicNote && <p className="mt-1 text-sm">Public note: {c.publicNote}</p>}
                {c.lastChange && (
                  <p className="mt-1 text-xs text-slate-500">
                    Last change by {c.lastChange.by}: {c.lastChange.reason} (signed, key {c.lastChange.signed.kid})
                  </p>
                )}
                {mayMark && (
                  <MarkChannelForm
                    channel={{ id: c.id, label: c.label, status: c.status }}
                    incidents={open.map((i) => ({ id: i.id, reference: i.reference, title: i.title }))}
                  />
                )}
              </Card>
            </li>
          ))}
        </ul>
      )}
      {mayMark && (
        <Card title="List an official channel" className="mt-6">
          <AddChannelForm />
        </Card>
      )}
    </>
  );
}
