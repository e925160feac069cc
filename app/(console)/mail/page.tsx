import type { Metadata } from 'next';
import Link from 'next/link';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { PageHeader } from '@/components/console/page-header';
import { FreezePanel, UnfreezeForm } from '@/components/mail/freeze-panel';
import { HeldActions } from '@/components/mail/held-actions';
import { UncertainMail } from '@/components/mail/uncertain-mail';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { MAIL_STATUSES } from '@/lib/enums';
import { listIncidents } from '@/lib/incidents';
import { mailOverview } from '@/lib/mail/status';

export const metadata: Metadata = { title: 'Mail' };

export default async function MailPage() {
  const actor = await requireStaff();
  const [overview, incidents] = await Promise.all([mailOverview(actor), listIncidents(actor, { open: true })]);
  const canFreeze = can(actor, 'mail.freeze');
  const canRelease = can(actor, 'mail.release');
  return (
    <>
      <PageHeader
        title="Outbound mail"
        description="Every message has exactly one recipient. Freezing a stream stops it at once: nothing of it is sent until it is lifted and held mail is released."
      >
        <div className="text-right">
          <p className="text-sm" data-testid="send-rate">
            Sending <span className="font-semibold">{overview.sendRatePerSecond}</span> msg/s (last minute:{' '}
            {overview.sentLastMinute.toLocaleString()})
          </p>
          <AutoRefresh seconds={3} />
        </div>
      </PageHeader>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          <UncertainMail actor={actor} />
          {overview.streams.map(({ stream, counts, frozen }) => (
            <section
              key={stream}
              className={`rounded-lg border bg-white p-5 shadow-sm ${frozen ? 'border-red-400' : 'border-slate-200'}`}
              aria-label={`${stream} stream`}
            >
              <div className="flex flex-wrap items-center gap-3">
                <h2 className="text-lg font-bold">{stream}</h2>
                <span data-testid={`state-${stream}`}>
                  {frozen ? <Badge tone="bad">FROZEN</Badge> : <Badge tone="good">sending</Badge>}
                </span>
              </div>
              {frozen && (
                <p className="mt-2 text-sm text-red-900">
                  Frozen by {frozen.frozenBy} at <LocalTime iso={frozen.frozenAt.toISOString()} showUtc={false} />:{' '}
                  {frozen.reason}
                </p>
              )}
              <dl className="mt-3 grid grid-cols-3 gap-2 text-sm sm:grid-cols-6">
                {MAIL_STATUSES.map((status) => (
                  <div key={status} className="rounded bg-slate-50 px-2 py-1">
                    <dt className="text-xs text-slate-500">{status}</dt>
                    <dd className="font-mono font-semibold" data-testid={`count-${stream}-${status}`}>
                      {counts[status].toLocaleString()}
                    </dd>
                  </div>
                ))}
              </dl>
              {canRelease && counts.HELD > 0 && (
                <div className="mt-3">
                  <HeldActions stream={stream} held={counts.HELD} frozen={Boolean(frozen)} />
                </div>
              )}
              {frozen && canFreeze && <UnfreezeForm stream={stream} />}
            </section>
          ))}
          <Link href="/mail/sink" className="inline-block text-sm text-slate-700 underline">
            Delivered mail (local sink) →
          </Link>
        </div>
        {/* On a phone the freeze comes first: it is what people open this page for. */}
        <div className="order-first min-w-0 lg:order-none">
          {canFreeze ? (
            <FreezePanel
              streams={overview.streams.map((s) => ({ stream: s.stream, frozen: Boolean(s.frozen) }))}
              incidents={incidents.map((i) => ({ reference: i.reference, title: i.title }))}
              securityQueued={(() => {
                const security = overview.streams.find((s) => s.stream === 'SECURITY');
                return security ? security.counts.QUEUED + security.counts.SENDING : 0;
              })()}
            />
          ) : (
            <p className="text-sm text-slate-600">Only SECURITY and ADMIN can freeze mail.</p>
          )}
        </div>
      </div>
    </>
  );
}
