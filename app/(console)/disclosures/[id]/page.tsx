import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/console/page-header';
import { NoticeEditor } from '@/components/disclosures/notice-editor';
import { NoticeStatus } from '@/components/disclosures/notice-status';
import { NoticeSteps } from '@/components/disclosures/notice-steps';
import { WordDiff } from '@/components/disclosures/word-diff';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { can } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { publicUrl } from '@/lib/config';
import { gateContext, getDisclosure, wordDiff, wroteUnpublishedRevision } from '@/lib/disclosures';
import { NotFound } from '@/lib/errors';
import { frozenStreams } from '@/lib/mail/freeze';

export const metadata: Metadata = { title: 'Notice' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ from?: string; to?: string }> };

export default async function NoticePage({ params, searchParams }: Props) {
  const actor = await requireStaff();
  const { id } = await params;
  const notice = await getDisclosure(actor, id).catch((error) =>
    error instanceof NotFound ? notFound() : Promise.reject(error),
  );
  const [latest] = notice.revisions;
  const frozen = await frozenStreams();
  const gate = publicUrl() ? await gateContext() : null;
  const ownRevision = await wroteUnpublishedRevision(actor, notice);
  const step =
    notice.status === 'DRAFT' && can(actor, 'disclosure.draft')
      ? 'submit'
      : notice.status === 'IN_REVIEW' && can(actor, 'disclosure.approve') && !ownRevision
        ? 'approve'
        : notice.status === 'APPROVED' && can(actor, 'disclosure.publish')
          ? 'publish'
          : null;
  const search = await searchParams;
  const pick = (value: string | undefined) => notice.revisions.find((r) => String(r.number) === value);
  const from = pick(search.from);
  const to = pick(search.to);

  return (
    <>
      <Link
        href={`/incidents/${notice.incident.reference}`}
        className="mb-2 inline-block text-sm text-sky-800 underline"
      >
        ← Back to the war room of {notice.incident.reference}
      </Link>
      <PageHeader
        title={latest.title}
        description={`A notice about ${notice.incident.reference} (${notice.incident.title}). Revision ${latest.number}, by ${latest.author}.`}
      >
        <NoticeStatus status={notice.status} />
      </PageHeader>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title={`Revision ${latest.number}`}>
            <NoticeEditor
              id={notice.id}
              title={latest.title}
              body={latest.body}
              state={latest.state}
              // The approver approves what is stored, so reads it as stored: no unsaved edits beside the button.
              canEdit={can(actor, 'disclosure.draft') && step !== 'approve'}
              gate={gate}
            />
          </Card>
          {notice.diff && (
            <Card title={`What changed since the public revision ${notice.diff.from}`}>
              <WordDiff parts={notice.diff.parts} />
            </Card>
          )}
          <Card title="Compare revisions">
            <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Compare revisions">
              {(['from', 'to'] as const).map((side) => (
                <label key={side} className="block">
                  <span className="block text-xs text-slate-600">
                    {side === 'from' ? 'From revision' : 'To revision'}
                  </span>
                  <select
                    name={side}
                    defaultValue={String(
                      (side === 'from' ? from : to)?.number ??
                        (side === 'from' ? Math.max(latest.number - 1, 1) : latest.number),
                    )}
                    className="mt-1 rounded-md border border-slate-300 px-2 py-1"
                  >
                    {notice.revisions.map((r) => (
                      <option key={r.number} value={r.number}>
                        {r.number}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
              <button type="submit" className="rounded-md px-3 py-1 ring-1 ring-slate-300">
                Compare
              </button>
            </form>
            {from && to && (
              <div className="mt-3">
                <WordDiff parts={wordDiff(from, to)} />
              </div>
            )}
          </Card>
        </div>
        {/* On a phone the next step (approve, publish, what is missing) comes first. */}
        <div className="order-first min-w-0 space-y-6 lg:order-none">
          <Card title="Next step">
            {notice.problems.length > 0 && (
              <div className="mb-3">
                <p className="text-sm font-semibold text-red-800">Before it can be submitted:</p>
                <ul
                  className="mt-1 list-disc space-y-1 pl-5 text-sm text-red-800"
                  aria-label="What the notice still needs"
                >
                  {notice.problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </div>
            )}
            {notice.status === 'IN_REVIEW' && ownRevision && (
              <p className="mb-3 text-sm text-slate-600">You wrote part of this text: someone else must approve it.</p>
            )}
            {notice.approvalsNeeded.length > 0 && notice.status === 'IN_REVIEW' && (
              <p className="mb-3 text-sm text-slate-600">Still to approve: {notice.approvalsNeeded.join(', ')}.</p>
            )}
            <NoticeSteps
              id={notice.id}
              step={step}
              revision={latest.number}
              contentHash={latest.contentHash}
              frozen={frozen}
              blocked={step === 'submit' && notice.problems.length > 0 ? 'Fix what is listed above first.' : undefined}
            />
            {notice.publishedRevision && (
              <p className="mt-3 text-sm">
                Revision {notice.publishedRevision} is public:{' '}
                <a href={`/status/notices/${notice.id}`} className="text-sky-800 underline">
                  see it on the status page
                </a>{' '}
                (the link to share).
              </p>
            )}
            <p className="mt-3 break-all font-mono text-xs text-slate-500">content hash {latest.contentHash}</p>
          </Card>
          <Card title="History">
            <ol className="space-y-2 text-sm" aria-label="Revisions">
              {notice.revisions.map((r) => (
                <li key={r.number}>
                  <span className="font-medium">Revision {r.number}</span> · {r.author} ·{' '}
                  <LocalTime iso={r.createdAt.toISOString()} showUtc={false} />
                  {notice.approvals
                    .filter((a) => a.revision === r.number)
                    .map((a) => (
                      <div key={a.id} className="text-xs text-emerald-800">
                        approved by {a.approver} ({a.role})
                      </div>
                    ))}
                  {notice.notices
                    .filter((p) => p.revision === r.number)
                    .map((p) => (
                      <div key={p.revision} className="text-xs text-sky-800">
                        published <LocalTime iso={p.publishedAt.toISOString()} showUtc={false} /> by {p.publishedBy},
                        signed (key {p.signed.kid})
                        {p.mail &&
                          ` · mail to ${p.notify === 'ALL' ? 'all' : 'affected'} customers: ${p.mail.queued.toLocaleString('en-US')} queued${p.mail.status === 'COMPLETED' ? ', done' : p.mail.status === 'FAILED' ? `, STOPPED: ${p.mail.lastError}` : ' so far'}`}
                      </div>
                    ))}
                </li>
              ))}
            </ol>
            <p className="mt-3 text-xs">
              <Link href={`/incidents/${notice.incident.reference}`} className="text-sky-800 underline">
                Back to {notice.incident.reference}
              </Link>
            </p>
          </Card>
        </div>
      </div>
    </>
  );
}
