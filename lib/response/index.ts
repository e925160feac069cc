// The response as a runbook: where an incident's response stands, step by step, and the next
// action each step offers the signed-in person (none when their role cannot take it). Read-only:
// every action it names is taken through the module that owns it (lib/mail, lib/resets,
// lib/disclosures, lib/incidents), with that module's permission checks and audit.
import 'server-only';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { type Clock, clockUrgency, FOLLOW_UP_CLOCKS, nearestDeadline } from '@/lib/clocks';
import { db } from '@/lib/db';
import { listDisclosures } from '@/lib/disclosures';
import type { getIncident } from '@/lib/incidents';
import { STREAMS, type Stream } from '@/lib/mail/schema';
import { readTally, tallied } from '@/lib/mail/tally';
import { count } from '@/lib/numbers';
import { campaignPhase, listResets } from '@/lib/resets';
import { mayApproveNotice } from './approvals';

type Incident = Awaited<ReturnType<typeof getIncident>>;

/** done; skipped (not part of this response); open (to do now or later); waiting (on someone else or on the worker); blocked (needs a person to unblock). */
export type StepState = 'done' | 'skipped' | 'open' | 'waiting' | 'blocked';

export type StepAction =
  | { kind: 'link'; href: string; label: string }
  | { kind: 'freeze'; reference: string }
  | { kind: 'resume-reset-mail'; reference: string; campaignId: string; held: number }
  | { kind: 'draft-notice'; reference: string };

export type Step = { id: string; title: string; state: StepState; detail: string; action?: StepAction };

/** The streams the runbook freezes: everything but SECURITY, which carries the reset mail. */
export const RUNBOOK_FREEZE: Stream[] = STREAMS.filter((s) => s !== 'SECURITY');

/** "A", "A and B", "A, B and C". */
export const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
/** A time as the checklist says it: "12:58 UTC" today, "29 Nov 12:58 UTC" on another day (UTC). */
const hhmm = (date: Date) => {
  const iso = date.toISOString();
  const today = iso.slice(0, 10) === new Date().toISOString().slice(0, 10);
  const day = `${date.getUTCDate()} ${date.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} `;
  return `${today ? '' : day}${iso.slice(11, 16)} UTC`;
};

/** Where the incident's response stands: the checklist, the mail freeze and the next deadline. */
export async function responseState(actor: StaffActor, incident: Incident) {
  const [freezes, campaigns, notices] = await Promise.all([
    db.mailFreeze.findMany({
      where: { OR: [{ liftedAt: null }, { incidentId: incident.id }] },
      orderBy: { frozenAt: 'asc' },
    }),
    listResets(actor, incident.id),
    listDisclosures(actor, incident.id),
  ]);
  const active = freezes.filter((f) => f.liftedAt === null);
  const frozen = STREAMS.filter((s) => active.some((f) => f.streams.includes(s)));
  // From the tally (lib/mail/tally.ts), never a count over the outbox: this renders every 5 s.
  const heldByFreeze = frozen.length
    ? tallied(
        await readTally(),
        (row) => row.status === 'HELD' && row.holdReason === 'FROZEN' && frozen.includes(row.stream as Stream),
      )
    : 0;
  const freeze = frozen.length
    ? {
        streams: frozen,
        since: active[0].frozenAt,
        by: active[0].frozenBy,
        reason: active[0].reason,
        held: heldByFreeze,
      }
    : null;
  const campaign = campaigns.find((c) => c.status !== 'CANCELLED') ?? null;
  const notice = notices[0] ?? null;
  const closed = incident.status === 'CLOSED';
  const steps: Step[] = [];
  const ref = incident.reference;
  const act = <A extends StepAction>(allowed: boolean, action: A) => (allowed && !closed ? action : undefined);

  steps.push({
    id: 'declared',
    title: 'Breach declared',
    state: 'done',
    detail: `By ${incident.declaredBy.name} at ${hhmm(incident.declaredAt)}.`,
  });

  const ownFreeze = freezes.find((f) => f.incidentId === incident.id);
  steps.push(
    frozen.includes('BULK')
      ? {
          id: 'freeze',
          title: 'Outbound mail frozen',
          state: 'done',
          detail: `${listed(frozen)} frozen since ${hhmm(freeze!.since)}; ${count(heldByFreeze)} held.`,
        }
      : ownFreeze
        ? {
            id: 'freeze',
            title: 'Outbound mail frozen',
            state: 'done',
            detail: `Frozen at ${hhmm(ownFreeze.frozenAt)}${ownFreeze.liftedAt ? `, lifted at ${hhmm(ownFreeze.liftedAt)}` : ''}.`,
          }
        : {
            id: 'freeze',
            title: 'Freeze outbound mail',
            state: 'open',
            detail: `Stops ${listed(RUNBOOK_FREEZE)} mail at once; reset mail (SECURITY) keeps flowing.`,
            action: act(can(actor, 'mail.freeze'), { kind: 'freeze', reference: ref }),
          },
  );

  const approver = campaign && can(actor, 'reset.approve') && campaign.requestedById !== actor.id;
  steps.push(
    campaign
      ? {
          id: 'reset-requested',
          title: 'Password reset requested',
          state: 'done',
          detail: `${count(campaign.targetCount)} customers, by ${campaign.requesterName}.`,
        }
      : {
          id: 'reset-requested',
          title: 'Request the password reset',
          state: 'open',
          detail: 'Count the customers first; nothing happens until a second person approves.',
          action: act(can(actor, 'reset.request'), { kind: 'link', href: '#reset', label: 'Request the reset' }),
        },
  );
  steps.push(
    !campaign
      ? {
          id: 'reset-approved',
          title: 'Reset approved by a second person',
          state: 'open',
          detail: 'After the request.',
        }
      : campaign.effectiveAt
        ? {
            id: 'reset-approved',
            title: 'Reset approved: in effect',
            state: 'done',
            detail: `By ${campaign.approverName} at ${hhmm(campaign.effectiveAt)}.`,
          }
        : {
            id: 'reset-approved',
            title: 'Approve the reset',
            state: approver ? 'open' : 'waiting',
            detail:
              campaign.requestedById === actor.id
                ? 'Waiting for a second SECURITY or ADMIN user (not you): send them the link below.'
                : 'Waiting for a SECURITY or ADMIN user other than the requester.',
            action: act(Boolean(approver), { kind: 'link', href: '#reset', label: 'Review and approve' }),
          },
  );

  const security = active.find((f) => f.streams.includes('SECURITY'));
  steps.push(
    resetMailStep(actor, campaign, security ? { by: security.frozenBy, reason: security.reason } : null, act, ref),
  );

  const approvable = notice && (await mayApproveNotice(actor, notice)) ? `/disclosures/${notice.id}` : null;
  steps.push(
    notice
      ? { id: 'notice-drafted', title: 'Notice drafted', state: 'done', detail: notice.revisions[0]?.title ?? '' }
      : {
          id: 'notice-drafted',
          title: 'Draft the disclosure notice',
          state: 'open',
          detail: 'Starts from the template with the incident’s facts filled in.',
          action: act(can(actor, 'disclosure.draft'), { kind: 'draft-notice', reference: ref }),
        },
  );
  steps.push(
    !notice
      ? { id: 'notice-approved', title: 'Notice approved', state: 'open', detail: 'After the draft.' }
      : notice.status === 'APPROVED' || notice.status === 'PUBLISHED'
        ? {
            id: 'notice-approved',
            title: 'Notice approved',
            state: 'done',
            detail: `Revision ${notice.latestRevision}.`,
          }
        : notice.status === 'DRAFT'
          ? {
              id: 'notice-approved',
              title: 'Submit the notice for approval',
              state: 'open',
              detail: `Revision ${notice.latestRevision} is a draft.`,
              action: act(can(actor, 'disclosure.draft'), {
                kind: 'link',
                href: `/disclosures/${notice.id}`,
                label: 'Open the notice',
              }),
            }
          : {
              id: 'notice-approved',
              title: 'Approve the notice',
              state: approvable ? 'open' : 'waiting',
              detail: `Revision ${notice.latestRevision} is in review.`,
              action: act(Boolean(approvable), { kind: 'link', href: approvable ?? '', label: 'Review and approve' }),
            },
  );
  // Whether the published notice's mail may be waiting behind a freeze: its deliveries (a row per
  // audience) and the frozen streams they use — no count over the outbox, which has no index by notice.
  const deliveries = notice?.publishedRevision
    ? await db.noticeDelivery.findMany({ where: { disclosureId: notice.id, queued: { gt: 0 } } })
    : [];
  const stalled = deliveries.filter((d) => frozen.includes(d.notify === 'SUBSCRIBERS' ? 'BULK' : 'SECURITY'));
  steps.push(
    notice?.publishedRevision
      ? {
          id: 'notice-published',
          title: 'Notice published',
          state: 'done',
          detail: `Revision ${notice.publishedRevision} is on the status page.${
            stalled.length
              ? ` While ${stalled.map((d) => (d.notify === 'SUBSCRIBERS' ? "BULK is frozen, its mail to the page's subscribers" : 'SECURITY is frozen, its mail to customers')).join(', and while ')} waits there: release it on Mail once the stream is safe.`
              : ''
          }`,
        }
      : {
          id: 'notice-published',
          title: 'Publish the notice',
          state: 'open',
          detail: notice?.status === 'APPROVED' ? 'Approved and ready.' : 'After the approval.',
          action: act(notice?.status === 'APPROVED' && can(actor, 'disclosure.publish'), {
            kind: 'link',
            href: `/disclosures/${notice?.id}`,
            label: 'Publish',
          }),
        },
  );

  steps.push(regulatorStep(actor, incident.clocks, act));
  return {
    steps: await forKind(actor, incident.kind, steps, {
      frozen: Boolean(ownFreeze),
      campaign: Boolean(campaign),
      closed,
    }),
    freeze,
    campaign,
    notice,
    nextDeadline: nearestDeadline(incident.clocks),
  };
}

function resetMailStep(
  actor: StaffActor,
  campaign: Awaited<ReturnType<typeof listResets>>[number] | null,
  securityFreeze: { by: string; reason: string } | null,
  act: <A extends StepAction>(allowed: boolean, action: A) => A | undefined,
  reference: string,
): Step {
  const base = { id: 'reset-mail', title: 'Reset mail sent' };
  if (campaign?.status === 'FAILED')
    return {
      ...base,
      title: 'The reset stopped',
      state: 'blocked',
      detail: `It reached ${count(campaign.processedCount)} of ${count(campaign.targetCount)} customers, then stopped: ${campaign.lastError ?? 'see the audit log'}. Fix the cause, then request a new reset (it reaches everyone still left).`,
      action: act(can(actor, 'reset.request'), { kind: 'link', href: '#reset', label: 'Request a new reset' }),
    };
  if (!campaign?.effectiveAt) return { ...base, state: 'open', detail: 'After the approval.' };
  if (!campaign.sendMail) return { ...base, state: 'skipped', detail: 'This reset sends no mail.' };
  const held = campaign.mail.frozen;
  if (held > 0)
    return {
      ...base,
      title: 'Reset mail held',
      state: 'blocked',
      detail: securityFreeze
        ? `${count(held)} reset mails are held: the SECURITY stream was frozen by ${securityFreeze.by} (“${securityFreeze.reason}”).`
        : `${count(held)} reset mails are held from an earlier freeze.`,
      action: act(can(actor, 'mail.freeze') && can(actor, 'mail.release'), {
        kind: 'resume-reset-mail',
        reference,
        campaignId: campaign.id,
        held,
      }),
    };
  if (campaign.mail.uncertain > 0)
    return {
      ...base,
      state: 'blocked',
      detail: `${count(campaign.mail.uncertain)} messages may or may not have been sent (a worker was lost).`,
      action: act(can(actor, 'mail.release'), { kind: 'link', href: '/mail', label: 'Settle on Mail' }),
    };
  const phase = campaignPhase(campaign);
  if (phase.label === 'completed') return { ...base, state: 'done', detail: `${count(campaign.mail.sent)} sent.` };
  return {
    ...base,
    title: 'Sending reset mail',
    state: 'waiting',
    detail: `${count(campaign.mail.sent)} of ${count(campaign.targetCount)} sent.`,
  };
}

function regulatorStep(
  actor: StaffActor,
  clocks: Clock[],
  act: <A extends StepAction>(allowed: boolean, action: A) => A | undefined,
): Step {
  const base = { id: 'regulators', title: 'Regulators notified' };
  const first = clocks.filter((c) => !FOLLOW_UP_CLOCKS.includes(c.id));
  const next = nearestDeadline(first);
  const action = act(can(actor, 'incident.update'), { kind: 'link', href: '#clocks', label: 'Mark reports filed' });
  if (next) {
    const open = first.filter((c) => c.state === 'RUNNING' || c.state === 'OVERDUE').length;
    const urgency = clockUrgency(next);
    return {
      ...base,
      title: 'Notify the regulators',
      state: urgency === 'overdue' ? 'blocked' : 'open',
      detail: `${open} first notification(s) due; next: ${next.title}, ${urgency === 'overdue' ? 'overdue since' : 'due'} ${hhmm(next.dueAt!)}.`,
      action,
    };
  }
  if (!first.some((c) => c.state === 'MET' || c.state === 'LATE'))
    return { ...base, state: 'open', detail: 'No clock is running yet: they start from the milestones.' };
  const followUp = nearestDeadline(clocks);
  return {
    ...base,
    state: 'done',
    detail: followUp
      ? `Every first notification is filed. Follow-up: ${followUp.title}, due ${hhmm(followUp.dueAt!)} (on the clocks).`
      : 'Every report with a deadline is filed.',
  };
}

/** The incident kinds whose runbook freezes mail and resets passwords: a leak of customer data or credentials. */
const RESET_KINDS = ['DATA_BREACH', 'ACCOUNT_TAKEOVER'];
const KIND_WORDS: Record<string, string> = {
  SOCIAL_ACCOUNT_COMPROMISE: 'a hijacked official account',
  OTHER: 'this kind of incident',
};

/**
 * The checklist for the incident's kind. A hijacked official account (the 2019 incident's second
 * half) is answered by marking the channel compromised, not by resetting every customer: there the
 * freeze and reset steps are "not needed" (still one click away on Mail and the reset panel, and
 * counted as they are once someone takes them), and a channel step comes first.
 */
async function forKind(
  actor: StaffActor,
  kind: string,
  steps: Step[],
  taken: { frozen: boolean; campaign: boolean; closed: boolean },
): Promise<Step[]> {
  if (RESET_KINDS.includes(kind)) return steps;
  const skip = (step: Step): Step => ({
    ...step,
    state: 'skipped',
    detail: `Not part of the runbook for ${KIND_WORDS[kind] ?? 'this incident'}; if it is needed, it is on ${step.id === 'freeze' ? 'Mail' : 'the reset panel below'}.`,
    action: undefined,
  });
  const adjusted = steps.map((step) =>
    (step.id === 'freeze' && !taken.frozen && step.state !== 'done') ||
    (step.id.startsWith('reset-') && !taken.campaign)
      ? skip(step)
      : step,
  );
  if (kind !== 'SOCIAL_ACCOUNT_COMPROMISE') return adjusted;
  const compromised = await db.officialChannel.count({ where: { status: 'COMPROMISED' } });
  const channel: Step = compromised
    ? {
        id: 'channel',
        title: 'Hijacked channel marked compromised',
        state: 'done',
        detail: 'The status page warns customers.',
      }
    : {
        id: 'channel',
        title: 'Mark the hijacked channel compromised',
        state: 'open',
        detail: 'The public status page puts a red banner at its top within a second, and verify answers "not ours".',
        action: can(actor, 'channel.mark')
          ? { kind: 'link', href: '/channels', label: 'Mark it on Channels' }
          : undefined,
      };
  return [adjusted[0], channel, ...adjusted.slice(1)];
}
