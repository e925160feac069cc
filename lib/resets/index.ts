// Reset campaigns: request (with the dry-run count), approval by a second person (invariant 4),
// cancel before approval, and progress. Approval makes the campaign effective at once; the worker
// then fans out (lib/resets/fanout.ts).
import 'server-only';
import sql from 'sql-template-tag';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertIndependentApprover } from '@/lib/auth/approval';
import { assertCan } from '@/lib/auth/policy';
import { config } from '@/lib/config';
import { db, type Tx } from '@/lib/db';
import { prismaQueryable } from '@/lib/db/queryable';
import { Conflict, Invalid, NotFound } from '@/lib/errors';
import type { MailStatus } from '@/lib/generated/prisma/enums';
import { findIncidentIn } from '@/lib/incidents';
import { recordIncidentAction } from '@/lib/incidents/timeline';
import { frozenStreams, unfreezeMail } from '@/lib/mail/freeze';
import { releaseHeld } from '@/lib/mail/outbox';
import { readTally, tallied } from '@/lib/mail/tally';
import { isUuid, parseInput } from '@/lib/validation';
import { emitWebhook } from '@/lib/webhooks/emit';
import { type Cohort, cohortWhere } from './cohort';
import { markAffectedInput, type RequestResetInput, requestResetInput } from './schema';

/** `count` slices of the uuid space by leading hex digits: [lowerId, upperId), the last one open-ended. */
export function partitions(count: number) {
  const bound = (k: number) =>
    `${Math.floor((k * 0x10000) / count)
      .toString(16)
      .padStart(4, '0')}0000-0000-0000-0000-000000000000`;
  return Array.from({ length: count }, (_, k) => ({
    lowerId: bound(k),
    upperId: k === count - 1 ? null : bound(k + 1),
  }));
}

export async function countCohort(tx: Tx, cohort: Cohort) {
  const query = sql`SELECT count(*)::int AS n FROM "Customer" cu WHERE ${cohortWhere(cohort)}`;
  const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(query.text, ...query.values);
  return row.n;
}

export async function requestReset(actor: Actor, incidentIdOrRef: string, raw: RequestResetInput) {
  assertCan(actor, 'reset.request');
  const input = parseInput(requestResetInput, raw);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentIn(tx, incidentIdOrRef);
    if (incident.status === 'CLOSED') throw new Conflict(`${incident.reference} is closed.`, 'incident_closed');
    const targetCount = await countCohort(tx, { incidentId: incident.id, ...input });
    if (targetCount === 0)
      throw new Invalid('That cohort has no customers: nothing to reset.', undefined, 'empty_cohort');
    const campaign = await tx.resetCampaign.create({
      data: {
        ...input,
        incidentId: incident.id,
        targetCount,
        requestedById: actorStaffId(actor),
        requestedBy: actorLabel(actor),
      },
    });
    await recordIncidentAction(tx, actor, incident, {
      action: 'reset.requested',
      message: `Password reset requested for ${targetCount.toLocaleString('en-US')} customers (${describe(campaign)}); waiting for a second approver`,
      data: { campaignId: campaign.id, targetCount, ...input },
    });
    return campaign;
  });
}

export async function approveReset(actor: Actor, campaignId: string) {
  assertCan(actor, 'reset.approve');
  return db.$transaction(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (campaign.status !== 'PENDING_APPROVAL')
      throw new Conflict(`This reset is ${campaign.status}, not waiting for approval.`, 'not_pending');
    const incident = await tx.incident.findUniqueOrThrow({ where: { id: campaign.incidentId } });
    if (incident.status === 'CLOSED')
      throw new Conflict(`${incident.reference} is closed: reopen it to approve this reset.`, 'incident_closed');
    await assertIndependentApprover(tx, actor, campaign.requestedById, 'this reset');
    // Effective now: from this commit on, login and session checks refuse the cohort's old credentials.
    const approved = await tx.resetCampaign.update({
      where: { id: campaign.id },
      data: {
        status: 'RUNNING',
        approvedById: actorStaffId(actor),
        approvedBy: actorLabel(actor),
        effectiveAt: new Date(),
        startedAt: new Date(),
      },
    });
    // The fan-out's slices of the (random, uniform) uuid space, each with its own cursor.
    await tx.resetPartition.createMany({
      data: partitions(config().RESET_PARTITIONS).map((p, partition) => ({ campaignId: campaign.id, partition, ...p })),
    });
    await recordIncidentAction(tx, actor, incident, {
      action: 'reset.approved',
      message: `Password reset approved by ${actorLabel(actor)}: in effect now for ${campaign.targetCount.toLocaleString('en-US')} customers`,
      data: { campaignId: campaign.id, effectiveAt: approved.effectiveAt },
    });
    // Sent at approval, so that the exchange's own login can refuse the cohort at once.
    await emitWebhook(prismaQueryable(tx), {
      type: 'reset.effective',
      key: `reset.effective:${campaign.id}`,
      data: {
        campaign: campaign.id,
        incident: incident.reference,
        effectiveAt: approved.effectiveAt,
        cohort: {
          scope: campaign.scope,
          onlyWithout2fa: campaign.onlyWithout2fa,
          onlyWithBalance: campaign.onlyWithBalance,
          customers: campaign.targetCount,
        },
        revokeSessions: campaign.revokeSessions,
        revokeApiKeys: campaign.revokeApiKeys,
      },
    });
    return approved;
  });
}

export async function cancelReset(actor: Actor, campaignId: string) {
  assertCan(actor, 'reset.request');
  return db.$transaction(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (campaign.status !== 'PENDING_APPROVAL')
      throw new Conflict(
        `Only a reset waiting for approval can be cancelled; this one is ${campaign.status}.`,
        'not_pending',
      );
    const cancelled = await tx.resetCampaign.update({
      where: { id: campaign.id },
      data: { status: 'CANCELLED', cancelledBy: actorLabel(actor), finishedAt: new Date() },
    });
    const incident = await tx.incident.findUniqueOrThrow({ where: { id: campaign.incidentId } });
    await recordIncidentAction(tx, actor, incident, {
      action: 'reset.cancelled',
      message: `Password reset request cancelled by ${actorLabel(actor)}`,
      data: { campaignId: campaign.id },
    });
    return cancelled;
  });
}

/** A campaign with its live progress: mail counts by status, rate and ETA. */
export async function getReset(actor: Actor, campaignId: string) {
  assertCan(actor, 'console.read');
  const campaign = isUuid(campaignId) ? await db.resetCampaign.findUnique({ where: { id: campaignId } }) : null;
  if (!campaign) throw new NotFound(`No reset campaign ${campaignId}.`);
  return withProgress(campaign);
}

export async function listResets(actor: Actor, incidentId: string) {
  assertCan(actor, 'console.read');
  const campaigns = await db.resetCampaign.findMany({ where: { incidentId }, orderBy: { requestedAt: 'desc' } });
  // People by name, as the timeline shows them (the campaign keeps the email it was decided with).
  const ids = campaigns.flatMap((c) => [c.requestedById, c.approvedById]).filter((id): id is string => Boolean(id));
  const names = new Map(
    (await db.staffUser.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [
      u.id,
      u.name,
    ]),
  );
  return Promise.all(
    campaigns.map(async (c) => ({
      ...(await withProgress(c)),
      requesterName: (c.requestedById && names.get(c.requestedById)) || c.requestedBy,
      approverName: (c.approvedById && names.get(c.approvedById)) || c.approvedBy,
    })),
  );
}

type Campaign = NonNullable<Awaited<ReturnType<typeof db.resetCampaign.findUnique>>>;

async function withProgress(campaign: Campaign) {
  const tally = await readTally({ campaignId: campaign.id });
  const mail = (status: MailStatus) => tallied(tally, (row) => row.status === status);
  const uncertain = tallied(tally, (row) => row.status === 'HELD' && row.holdReason === 'OUTCOME_UNKNOWN');
  const frozen = tallied(tally, (row) => row.status === 'HELD' && row.holdReason === 'FROZEN');
  const elapsed = campaign.startedAt ? (Date.now() - campaign.startedAt.getTime()) / 1000 : 0;
  const rate = elapsed > 0 ? campaign.processedCount / elapsed : 0;
  const remaining = Math.max(campaign.targetCount - campaign.processedCount, 0);
  return {
    ...campaign,
    progress: campaign.targetCount ? Math.min(campaign.processedCount / campaign.targetCount, 1) : 0,
    // `uncertain`: held because a worker was lost mid-send (part of `held`): a person must settle them.
    mail: {
      queued: mail('QUEUED'),
      sending: mail('SENDING'),
      sent: mail('SENT'),
      held: mail('HELD'),
      uncertain,
      // `frozen`: held because their stream is frozen (the rest of `held`): released by a person.
      frozen,
      failed: mail('FAILED'),
      cancelled: mail('CANCELLED'),
    },
    etaSeconds: campaign.status === 'RUNNING' && rate > 0 ? Math.ceil(remaining / rate) : null,
  };
}

/**
 * Where a campaign stands for the people watching it, in one word and a colour. A fan-out that has
 * finished is not "completed" while its reset mail waits: held mail in a frozen stream is the
 * amber "waiting", not the green "completed" (customers have no link yet).
 */
export function campaignPhase(c: {
  status: string;
  sendMail: boolean;
  mail: { queued: number; sending: number; frozen: number; uncertain: number };
}): { label: string; tone: 'neutral' | 'good' | 'bad' | 'warn' } {
  const held = c.mail.frozen;
  switch (c.status) {
    case 'PENDING_APPROVAL':
      return { label: 'waiting for approval', tone: 'warn' };
    case 'CANCELLED':
      return { label: 'cancelled', tone: 'neutral' };
    case 'FAILED':
      return { label: 'failed', tone: 'bad' };
  }
  if (held > 0) return { label: `waiting: ${held.toLocaleString('en-US')} reset mails held`, tone: 'warn' };
  if (c.mail.uncertain > 0) return { label: `${c.mail.uncertain.toLocaleString('en-US')} uncertain`, tone: 'warn' };
  if (c.status === 'RUNNING') return { label: 'running', tone: 'bad' };
  if (c.sendMail && c.mail.queued + c.mail.sending > 0) return { label: 'sending reset mail', tone: 'warn' };
  return { label: 'completed', tone: 'good' };
}

/** How long a reset of all customers counts as recent: a second one would invalidate the links just mailed. */
const RECENT_MS = 24 * 3_600_000;

/** The newest all-customer reset in effect within a day (any incident), if there is one: warn before another. */
export async function recentAllCustomerReset(actor: Actor) {
  assertCan(actor, 'console.read');
  const campaign = await db.resetCampaign.findFirst({
    where: { scope: 'ALL', effectiveAt: { gte: new Date(Date.now() - RECENT_MS) } },
    orderBy: { effectiveAt: 'desc' },
    select: { id: true, effectiveAt: true, targetCount: true, incidentId: true },
  });
  if (!campaign?.effectiveAt) return null;
  const { reference } = await db.incident.findUniqueOrThrow({
    where: { id: campaign.incidentId },
    select: { reference: true },
  });
  return { ...campaign, effectiveAt: campaign.effectiveAt, reference };
}

/**
 * The war room's one action for reset mail stuck behind a freeze: lift the SECURITY stream's freeze
 * (with the reason given) and release this campaign's held reset mail. Mail held because a worker
 * was lost mid-send is left alone (it may have been delivered; it is settled on the Mail page).
 */
export async function resumeResetMail(actor: Actor, campaignId: string, reason: string) {
  assertCan(actor, 'mail.freeze');
  assertCan(actor, 'mail.release');
  const campaign = await getReset(actor, campaignId);
  if ((await frozenStreams()).includes('SECURITY')) await unfreezeMail(actor, { streams: ['SECURITY'], reason });
  const { count, stillFrozen } = await releaseHeld(actor, {
    campaignId: campaign.id,
    stream: 'SECURITY',
    holdReason: 'FROZEN',
  });
  return { released: count, stillFrozen };
}

export const describe = (
  c: Cohort & {
    revokeSessions: boolean;
    revokeApiKeys: boolean;
    sendMail: boolean;
    lockWithdrawalsHours: number | null;
  },
) =>
  [
    c.scope === 'ALL' ? 'all customers' : 'affected customers',
    c.onlyWithout2fa && 'without 2FA',
    c.onlyWithBalance && 'with a balance',
    c.revokeSessions && 'revoke sessions',
    c.revokeApiKeys && 'revoke API keys',
    c.sendMail && 'send reset mail',
    c.lockWithdrawalsHours && `lock withdrawals ${c.lockWithdrawalsHours} h`,
  ]
    .filter(Boolean)
    .join(', ');

async function lockCampaign(tx: Tx, id: string) {
  if (!isUuid(id)) throw new NotFound(`No reset campaign ${id}.`);
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ResetCampaign" WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw new NotFound(`No reset campaign ${id}.`);
  return tx.resetCampaign.findUniqueOrThrow({ where: { id } });
}

/** How many customers are marked affected by the incident (the AFFECTED cohort before filters). */
export async function affectedCount(actor: Actor, incidentId: string) {
  assertCan(actor, 'console.read');
  return db.incidentAffectedCustomer.count({ where: { incidentId } });
}

/**
 * Marks customers as affected by an incident (the AFFECTED cohort), by external id or by email
 * address (stored in lower case, so compared in lower case: the unique index answers). Returns how many were newly marked and how many of the given
 * identifiers named a customer at all, so a list with typos is noticed.
 */
export async function markAffected(actor: Actor, incidentIdOrRef: string, ids: string[], addresses: string[] = []) {
  assertCan(actor, 'incident.update');
  const { externalIds, emails } = parseInput(markAffectedInput, { externalIds: ids, emails: addresses });
  const lowered = emails.map((e) => e.toLowerCase());
  return db.$transaction(async (tx) => {
    const incident = await findIncidentIn(tx, incidentIdOrRef);
    if (incident.status === 'CLOSED')
      throw new Conflict(`${incident.reference} is closed: reopen it to change who is affected.`, 'incident_closed');
    // unknown: distinct identifiers that name no customer, by either column (an external id may
    // contain "@"), so a list with typos is noticed.
    const [{ added, matched, unknown, unknownSample }] = await tx.$queryRaw<
      { added: number; matched: number; unknown: number; unknownSample: string[] | null }[]
    >`
      WITH matched AS (
        SELECT id FROM "Customer"
         WHERE "externalId" = ANY (${externalIds}::text[]) OR email = ANY (${lowered}::text[])),
      inserted AS (
        INSERT INTO "IncidentAffectedCustomer" ("incidentId", "customerId")
        SELECT ${incident.id}::uuid, id FROM matched
        ON CONFLICT DO NOTHING RETURNING 1),
      given AS (SELECT DISTINCT x FROM unnest(${[...externalIds, ...emails]}::text[]) AS g(x)),
      unknown AS (SELECT x FROM given
                   WHERE NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."externalId" = given.x OR c.email = lower(given.x)))
      SELECT (SELECT count(*) FROM inserted)::int AS added, (SELECT count(*) FROM matched)::int AS matched,
             (SELECT count(*) FROM unknown)::int AS unknown,
             (SELECT array_agg(x ORDER BY x) FROM (SELECT x FROM unknown ORDER BY x LIMIT 20) s) AS "unknownSample"`;
    await recordIncidentAction(tx, actor, incident, {
      action: 'incident.affected_marked',
      message: `${added} customer(s) marked as affected`,
      data: { added, matched, unknown, given: externalIds.length + emails.length },
    });
    return { added, matched, unknown, unknownSample: unknownSample ?? [] };
  });
}
