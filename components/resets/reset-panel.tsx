import Link from 'next/link';
import { decideResetAction } from '@/app/(console)/incidents/reset-actions';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { TwoPersonDecision } from '@/components/ui/two-person-decision';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { frozenStreams } from '@/lib/mail/freeze';
import { campaignPhase, describe, listResets, recentAllCustomerReset } from '@/lib/resets';
import { formatDuration } from '@/lib/time';
import { RequestResetForm } from './request-form';

type Campaign = Awaited<ReturnType<typeof listResets>>[number];

/** The bar in the phase's colour: green once done, amber while mail waits, red while customers are being cut off. */
const barColour = { good: 'fill-emerald-600', warn: 'fill-amber-500', bad: 'fill-red-600', neutral: 'fill-slate-400' };

export function ResetProgress({ campaign }: { campaign: Campaign }) {
  const percent = Math.floor(campaign.progress * 100);
  return (
    <div className="space-y-1 text-sm" data-testid="reset-progress">
      <div className="flex items-center justify-between">
        <span>
          {campaign.processedCount.toLocaleString('en-US')} / {campaign.targetCount.toLocaleString('en-US')} customers ·{' '}
          {campaign.chunksDone} chunks
        </span>
        <span className="font-semibold" data-testid="reset-percent">
          {percent}%
        </span>
      </div>
      {/* An SVG bar: its width is an attribute, not an inline style, which the CSP refuses (lib/security/headers.ts). */}
      <svg
        className="block h-2 w-full overflow-hidden rounded bg-slate-200"
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label="Reset progress"
      >
        <rect className={barColour[campaignPhase(campaign).tone]} height="100%" width={`${percent}%`} />
      </svg>
      <p className="text-xs text-slate-600">
        Mail: {campaign.mail.queued.toLocaleString('en-US')} queued · {campaign.mail.sent.toLocaleString('en-US')} sent
        {campaign.mail.frozen > 0 && (
          <span className="font-semibold text-red-700">
            {' '}
            · {campaign.mail.frozen.toLocaleString('en-US')} HELD (stream frozen)
          </span>
        )}
        {campaign.mail.uncertain > 0 && (
          <span className="font-semibold text-amber-800">
            {' '}
            · {campaign.mail.uncertain.toLocaleString('en-US')} uncertain (a worker was lost mid-send)
          </span>
        )}
        {campaign.mail.failed > 0 && <span className="text-red-700"> · {campaign.mail.failed} failed</span>}
        {campaign.etaSeconds !== null && <> · ETA {formatDuration(campaign.etaSeconds * 1000)}</>}
      </p>
    </div>
  );
}

export async function ResetPanel({
  actor,
  incident,
}: {
  actor: StaffActor;
  incident: { id: string; reference: string; status: string };
}) {
  const [campaigns, frozen, recent] = await Promise.all([
    listResets(actor, incident.id),
    frozenStreams(),
    recentAllCustomerReset(actor),
  ]);
  const pending = campaigns.some((c) => c.status === 'PENDING_APPROVAL');
  // Said where the reset is requested and where it is approved, not discovered afterwards.
  const warnings = [
    frozen.includes('SECURITY') &&
      'The SECURITY stream is frozen: reset mail will be held until it is unfrozen (the checklist offers "Unfreeze SECURITY and send the reset mail").',
    recent &&
      `A reset of all customers (${recent.reference}, ${recent.targetCount.toLocaleString('en-US')} customers) took effect ${formatDuration(Date.now() - recent.effectiveAt.getTime())} ago: another one invalidates the links it mailed.`,
  ].filter((w): w is string => Boolean(w));
  const warningList = warnings.length > 0 && (
    <ul
      className="space-y-1 rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-300"
      aria-label="Before you reset"
    >
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
  return (
    <div className="space-y-4">
      {campaigns.map((c) => (
        <div key={c.id} className="rounded-md border border-slate-200 p-3" data-testid="reset-campaign">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={campaignPhase(c).tone}>{campaignPhase(c).label}</Badge>
            {c.mail.uncertain > 0 && (
              <Link href="/mail" className="no-underline">
                <Badge tone="warn">{c.mail.uncertain.toLocaleString('en-US')} uncertain: settle on Mail</Badge>
              </Link>
            )}
            <span className="text-sm">{describe(c)}</span>
          </div>
          <p className="mt-1 text-xs text-slate-600">
            Requested by <span title={c.requestedBy}>{c.requesterName}</span>
            {c.approvedBy && (
              <>
                {' '}
                · approved by <span title={c.approvedBy}>{c.approverName}</span>
              </>
            )}
            {c.effectiveAt && (
              <>
                {' '}
                · in effect since <LocalTime iso={c.effectiveAt.toISOString()} showUtc={false} />
              </>
            )}
          </p>
          {c.status === 'PENDING_APPROVAL' ? (
            <div className="mt-2 space-y-2">
              <p className="text-sm font-semibold">
                Dry run: {c.targetCount.toLocaleString('en-US')} customers would be reset.
              </p>
              {warningList}
              {can(actor, 'reset.request') && (
                <TwoPersonDecision
                  action={decideResetAction.bind(null, incident.reference, c.id)}
                  name="the reset"
                  canApprove={can(actor, 'reset.approve') && c.requestedById !== actor.id}
                  confirmation={`Reset passwords of ${c.targetCount.toLocaleString('en-US')} customers now?`}
                />
              )}
              {c.requestedById === actor.id && (
                <p className="text-xs text-slate-500">
                  You requested it: a second SECURITY or ADMIN user must approve.
                </p>
              )}
            </div>
          ) : (
            c.status !== 'CANCELLED' && (
              <div className="mt-2">
                <ResetProgress campaign={c} />
              </div>
            )
          )}
        </div>
      ))}
      {can(actor, 'reset.request') && !pending && incident.status !== 'CLOSED' && (
        <>
          {warningList}
          <RequestResetForm reference={incident.reference} />
        </>
      )}
      {campaigns.length === 0 && !can(actor, 'reset.request') && (
        <p className="text-sm text-slate-500">No password reset for this incident.</p>
      )}
    </div>
  );
}
