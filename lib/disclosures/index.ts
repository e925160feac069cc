// Disclosure notices: draft from the incident's facts, revise (a new revision, never an edit),
// submit, approve the exact revision (its content hash) as someone other than its author, and
// publish it signed (DESIGN invariants 4, 5 and 7). Every step locks the notice's row, checks the
// role, and lands on the incident's timeline and in the audit log in the same transaction.
import 'server-only';
import canonicalize from 'canonicalize';
import { diffWords } from 'diff';
import addressparser from 'nodemailer/lib/addressparser';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertIndependentApprover } from '@/lib/auth/approval';
import { assertCan } from '@/lib/auth/policy';
import { officialChannelLabels } from '@/lib/channels';
import { config, publicUrl } from '@/lib/config';
import { db, type Tx } from '@/lib/db';
import { prismaQueryable } from '@/lib/db/queryable';
import { Conflict, Invalid, NotConfigured, NotFound } from '@/lib/errors';
import { sha256Hex } from '@/lib/hash';
import { findIncidentIn } from '@/lib/incidents';
import { recordIncidentAction } from '@/lib/incidents/timeline';
import { isUuid, parseInput } from '@/lib/validation';
import { emitWebhook } from '@/lib/webhooks/emit';
import { contentProblems, type GateContext } from './gate';
import {
  type ApproveDisclosureInput,
  approveDisclosureInput,
  type CreateDisclosureInput,
  createDisclosureInput,
  type NOTIFY,
  type PublishDisclosureInput,
  publishDisclosureInput,
  type ReviseDisclosureInput,
  reviseDisclosureInput,
} from './schema';
import { asSignedNotice, canonicalPayload, NOTICE_PURPOSE, signNotice } from './signing';
import { draftFromFacts, type NoticeFacts } from './template';

type Role = 'ADMIN' | 'SECURITY' | 'EXECUTIVE' | 'COMMS';

/** SHA-256 of the canonical JSON of exactly what would be published: the text and the state it gives. */
export const contentHashOf = (content: { audience: string; title: string; body: string; state: string }) =>
  sha256Hex(
    canonicalize({ audience: content.audience, title: content.title, body: content.body, state: content.state })!,
  );

/** Where notices live on the public side; refused (503) without a public URL: a signed notice names it. */
export function noticeUrls() {
  const base = publicUrl();
  if (!base) throw new NotConfigured('Set FIREBREAK_PUBLIC_URL: notices name the page where they are published.');
  return {
    notice: (id: string) => `${base}/status/notices/${id}`,
    verify: `${base}/status/verify`,
    keys: `${base}/.well-known/firebreak-notice-keys.json`,
  };
}

/** The address part of MAIL_FROM ("Name <a@b>" → a@b): what a notice names as our sender. */
export const senderAddress = () =>
  addressparser(config().MAIL_FROM, { flatten: true })[0]?.address ?? config().MAIL_FROM;

/** What a notice must name: our sender, our channels (every one not compromised now), where to verify it. */
export async function gateContext(client: Tx | typeof db = db): Promise<GateContext> {
  return {
    regimes: config().FIREBREAK_REGIMES,
    senders: [senderAddress()],
    channels: await officialChannelLabels(client),
    verifyUrl: noticeUrls().verify,
  };
}

/** Whether these approvers' roles meet DISCLOSURE_APPROVERS (one of each listed role; by default anyone). */
export function approvalsMet(roles: readonly Role[], required: readonly Role[] = config().DISCLOSURE_APPROVERS) {
  return required.length ? required.every((role) => roles.includes(role)) : roles.length > 0;
}

/** The roles still to approve (empty when the approvals are met; by default "any approver" until one has). */
export function approvalsNeeded(roles: readonly Role[], required: readonly Role[] = config().DISCLOSURE_APPROVERS) {
  if (!required.length) return roles.length ? [] : ['SECURITY, EXECUTIVE or ADMIN (not one of its authors)'];
  return required.filter((role) => !roles.includes(role));
}

async function gatherFacts(tx: Tx, incident: { id: string; reference: string; detectedAt: Date; declaredAt: Date }) {
  const settings = config();
  const [reset, freeze, affected, exposure] = await Promise.all([
    tx.resetCampaign.findFirst({
      where: { incidentId: incident.id, status: { in: ['RUNNING', 'COMPLETED'] }, effectiveAt: { not: null } },
      orderBy: { effectiveAt: 'desc' },
    }),
    tx.mailFreeze.findFirst({ where: { liftedAt: null }, orderBy: { frozenAt: 'asc' } }),
    tx.incidentAffectedCustomer.count({ where: { incidentId: incident.id } }),
    tx.mailExposureSummary.findUnique({ where: { incidentId: incident.id } }),
  ]);
  const facts: NoticeFacts = {
    exchange: { name: settings.FIREBREAK_EXCHANGE_NAME, contact: settings.FIREBREAK_CONTACT },
    incident,
    reset: reset?.effectiveAt ? { customers: reset.targetCount, effectiveAt: reset.effectiveAt } : null,
    mailFrozenSince: freeze?.frozenAt ?? null,
    affected,
    exposed: exposure?.exposedAddresses
      ? {
          addresses: exposure.exposedAddresses,
          customers: exposure.exposedCustomers,
          messages: exposure.exposingMessages,
        }
      : null,
    senders: [senderAddress()],
    channels: await officialChannelLabels(tx),
    verifyUrl: noticeUrls().verify,
  };
  return facts;
}

/** The notice row, locked for the rest of the transaction, with its newest revision. */
async function lockDisclosure(tx: Tx, id: string) {
  if (!isUuid(id)) throw new NotFound(`No notice ${id}.`);
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Disclosure" WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw new NotFound(`No notice ${id}.`);
  const disclosure = await tx.disclosure.findUniqueOrThrow({ where: { id }, include: { incident: true } });
  const latest = await tx.disclosureRevision.findUniqueOrThrow({
    where: { disclosureId_number: { disclosureId: id, number: disclosure.latestRevision } },
  });
  return { disclosure, latest };
}

/** The staff ids of everyone who wrote a revision after the published one (all of them if none is published). */
async function authorsSincePublication(tx: Tx, disclosureId: string, publishedRevision: number | null) {
  const rows = await tx.disclosureRevision.findMany({
    where: { disclosureId, number: { gt: publishedRevision ?? 0 }, authorId: { not: null } },
    select: { authorId: true },
    distinct: ['authorId'],
  });
  return rows.map((r) => r.authorId!);
}

/** Whether `actor` wrote a revision of this notice since its last publication (so may not approve it). */
export async function wroteUnpublishedRevision(
  actor: Actor,
  disclosure: { id: string; publishedRevision: number | null },
) {
  const staffId = actorStaffId(actor);
  return Boolean(
    staffId && (await authorsSincePublication(db, disclosure.id, disclosure.publishedRevision)).includes(staffId),
  );
}

async function approvalsOf(tx: Tx, disclosureId: string, revision: number, contentHash: string) {
  return tx.disclosureApproval.findMany({
    where: { disclosureId, revision, contentHash },
    orderBy: { approvedAt: 'asc' },
  });
}

export async function createDisclosure(actor: Actor, incidentIdOrRef: string, raw: CreateDisclosureInput) {
  assertCan(actor, 'disclosure.draft');
  const input = parseInput(createDisclosureInput, raw);
  const id = await db.$transaction(async (tx) => {
    const incident = await findIncidentIn(tx, incidentIdOrRef);
    if (incident.status === 'CLOSED') throw new Conflict(`${incident.reference} is closed.`, 'incident_closed');
    const draft = input.title && input.body ? null : draftFromFacts(await gatherFacts(tx, incident));
    const content = {
      audience: 'CUSTOMERS',
      title: input.title ?? draft!.title,
      body: input.body ?? draft!.body,
      state: input.state ?? 'INVESTIGATING',
    };
    const contentHash = contentHashOf(content);
    const disclosure = await tx.disclosure.create({
      data: { incidentId: incident.id, createdById: actorStaffId(actor), createdBy: actorLabel(actor) },
    });
    await tx.disclosureRevision.create({
      data: {
        disclosureId: disclosure.id,
        number: 1,
        title: content.title,
        body: content.body,
        state: content.state,
        contentHash,
        authorId: actorStaffId(actor),
        author: actorLabel(actor),
      },
    });
    await recordIncidentAction(tx, actor, incident, {
      action: 'disclosure.created',
      message: `Notice drafted: “${content.title}” (revision 1${draft ? ', from the template and the incident’s facts' : ''})`,
      data: { disclosureId: disclosure.id, revision: 1, contentHash },
    });
    return disclosure.id;
  });
  return getDisclosure(actor, id);
}

/** A new revision: the notice goes back to DRAFT, and approvals of earlier revisions no longer count. */
export async function reviseDisclosure(actor: Actor, id: string, raw: ReviseDisclosureInput) {
  assertCan(actor, 'disclosure.draft');
  const input = parseInput(reviseDisclosureInput, raw);
  await db.$transaction(async (tx) => {
    const { disclosure, latest } = await lockDisclosure(tx, id);
    const content = {
      audience: disclosure.audience,
      title: input.title,
      body: input.body,
      state: input.state ?? latest.state,
    };
    const contentHash = contentHashOf(content);
    if (contentHash === latest.contentHash)
      throw new Conflict(`Revision ${latest.number} already says exactly this.`, 'no_change');
    const number = disclosure.latestRevision + 1;
    await tx.disclosureRevision.create({
      data: {
        disclosureId: id,
        number,
        title: input.title,
        body: input.body,
        state: content.state,
        contentHash,
        authorId: actorStaffId(actor),
        author: actorLabel(actor),
      },
    });
    await tx.disclosure.update({ where: { id }, data: { latestRevision: number, status: 'DRAFT' } });
    const voided =
      disclosure.status === 'IN_REVIEW' || disclosure.status === 'APPROVED'
        ? `; revision ${latest.number} was ${disclosure.status === 'APPROVED' ? 'approved' : 'in review'}: its approvals do not carry over`
        : '';
    await recordIncidentAction(tx, actor, disclosure.incident, {
      action: 'disclosure.revised',
      message: `Notice revised: revision ${number}${content.state !== latest.state ? ` (state ${content.state})` : ''}${voided}`,
      data: { disclosureId: id, revision: number, contentHash, previousStatus: disclosure.status },
    });
  });
  return getDisclosure(actor, id);
}

/** Puts the newest revision up for approval, if it says everything a notice must (gate.ts). */
export async function submitDisclosure(actor: Actor, id: string) {
  assertCan(actor, 'disclosure.draft');
  await db.$transaction(async (tx) => {
    const { disclosure, latest } = await lockDisclosure(tx, id);
    if (disclosure.status !== 'DRAFT')
      throw new Conflict(
        `Revision ${latest.number} is ${disclosure.status.toLowerCase().replace('_', ' ')} already; revise the notice to submit a new text.`,
        'not_pending',
      );
    await assertComplete(tx, latest);
    await tx.disclosure.update({ where: { id }, data: { status: 'IN_REVIEW' } });
    await recordIncidentAction(tx, actor, disclosure.incident, {
      action: 'disclosure.submitted',
      message: `Notice revision ${latest.number} submitted for approval`,
      data: { disclosureId: id, revision: latest.number, contentHash: latest.contentHash },
    });
  });
  return getDisclosure(actor, id);
}

async function assertComplete(tx: Tx, revision: { title: string; body: string }) {
  const problems = contentProblems(revision, await gateContext(tx));
  if (problems.length)
    throw new Invalid(`The notice is not ready: ${problems.join(' ')}`, { problems }, 'notice_incomplete');
}

/**
 * Approves one revision's exact text: `revision` and `contentHash` must name the newest revision
 * as it is now (else 409 stale_revision: the approver read something else). By a person in a
 * session who is not the revision's author nor tied to them (lib/auth/approval.ts).
 */
export async function approveDisclosure(actor: Actor, id: string, raw: ApproveDisclosureInput) {
  assertCan(actor, 'disclosure.approve');
  const input = parseInput(approveDisclosureInput, raw);
  await db.$transaction(async (tx) => {
    const { disclosure, latest } = await lockDisclosure(tx, id);
    if (input.revision !== latest.number || input.contentHash !== latest.contentHash)
      throw new Conflict(
        `The notice has changed: revision ${latest.number} (${latest.contentHash.slice(0, 12)}…) is the newest. Read it, then approve that.`,
        'stale_revision',
      );
    if (disclosure.status !== 'IN_REVIEW')
      throw new Conflict(
        disclosure.status === 'DRAFT'
          ? `Revision ${latest.number} has not been submitted for approval.`
          : `Revision ${latest.number} is ${disclosure.status.toLowerCase()} already.`,
        'not_pending',
      );
    // Whoever wrote any revision since the last publication had a hand in this text: none of
    // them approves it, nor anyone tied to them (a trivial edit by someone else on top of one's
    // own revision does not make one a second person).
    const authors = await authorsSincePublication(tx, id, disclosure.publishedRevision);
    let approver = await assertIndependentApprover(tx, actor, latest.authorId, 'this notice');
    for (const author of authors)
      approver = await assertIndependentApprover(tx, actor, author, 'a notice you helped write');
    const before = await approvalsOf(tx, id, latest.number, latest.contentHash);
    if (before.some((a) => a.approverId === approver.id))
      throw new Conflict(`You approved revision ${latest.number} already.`, 'no_change');
    await tx.disclosureApproval.create({
      data: {
        disclosureId: id,
        revision: latest.number,
        contentHash: latest.contentHash,
        approverId: approver.id,
        approver: approver.email,
        role: approver.role,
      },
    });
    const roles = [...before.map((a) => a.role), approver.role];
    const met = approvalsMet(roles);
    if (met) await tx.disclosure.update({ where: { id }, data: { status: 'APPROVED' } });
    await recordIncidentAction(tx, actor, disclosure.incident, {
      action: 'disclosure.approved',
      message: `Notice revision ${latest.number} approved by ${approver.name} (${approver.role})${met ? ': ready to publish' : `; still needed: ${approvalsNeeded(roles).join(', ')}`}`,
      data: { disclosureId: id, revision: latest.number, contentHash: latest.contentHash, complete: met },
    });
  });
  return getDisclosure(actor, id);
}

/**
 * Publishes the approved newest revision: signs what is published (signing.ts), records it
 * (append-only), and makes it the notice's public text. `notify` says who is mailed.
 */
export async function publishDisclosure(actor: Actor, id: string, raw: PublishDisclosureInput) {
  assertCan(actor, 'disclosure.publish');
  const input = parseInput(publishDisclosureInput, raw);
  await db.$transaction(async (tx) => {
    const { disclosure, latest } = await lockDisclosure(tx, id);
    if (input.revision !== latest.number)
      throw new Conflict(`Revision ${latest.number} is the newest; publish that (once approved).`, 'stale_revision');
    if (disclosure.status === 'PUBLISHED')
      throw new Conflict(`Revision ${latest.number} is published already.`, 'no_change');
    const approvals = await approvalsOf(tx, id, latest.number, latest.contentHash);
    if (disclosure.status !== 'APPROVED' || !approvalsMet(approvals.map((a) => a.role)))
      throw new Conflict(
        `Revision ${latest.number} is not approved: still needed ${approvalsNeeded(approvals.map((a) => a.role)).join(', ')}.`,
        'not_approved',
      );
    await assertComplete(tx, latest);
    const publishedAt = new Date();
    const payload = {
      purpose: NOTICE_PURPOSE,
      notice: id,
      incident: disclosure.incident.reference,
      revision: latest.number,
      title: latest.title,
      body: latest.body,
      publishedAt: publishedAt.toISOString(),
      url: noticeUrls().notice(id),
      state: latest.state.toLowerCase() as Lowercase<typeof latest.state>,
    } as const;
    const signed = signNotice(payload);
    const notice = await tx.publishedNotice.create({
      data: {
        disclosureId: id,
        revision: latest.number,
        publishedAt,
        publishedById: actorStaffId(actor),
        publishedBy: actorLabel(actor),
        notify: input.notify,
        payload: canonicalPayload(payload),
        signature: signed.signature,
        keyId: signed.kid,
      },
    });
    // Mail to customers: a worker enqueues it in chunks (notify.ts), held if SECURITY mail is frozen.
    // The status page's subscribers get every publication (on BULK), whatever `notify` says.
    const delivery = {
      noticeId: notice.id,
      disclosureId: id,
      revision: latest.number,
      incidentId: disclosure.incidentId,
    };
    await tx.noticeDelivery.createMany({
      data: [
        ...(input.notify !== 'NONE' ? [{ ...delivery, notify: input.notify }] : []),
        { ...delivery, notify: 'SUBSCRIBERS' as const },
      ],
    });
    await tx.disclosure.update({ where: { id }, data: { status: 'PUBLISHED', publishedRevision: latest.number } });
    await recordIncidentAction(tx, actor, disclosure.incident, {
      action: 'disclosure.published',
      message: `Notice revision ${latest.number} published and signed (key ${signed.kid})${input.notify === 'NONE' ? '' : `; mail to ${input.notify === 'ALL' ? 'all' : 'affected'} customers`}`,
      data: {
        disclosureId: id,
        revision: latest.number,
        contentHash: latest.contentHash,
        notify: input.notify,
        keyId: signed.kid,
      },
    });
    // The signed notice itself: a receiver can check it against the published key set.
    await emitWebhook(prismaQueryable(tx), {
      type: 'notice.published',
      key: `notice.published:${notice.id}`,
      data: {
        notice: payload,
        signature: signed.signature,
        kid: signed.kid,
        contentHash: latest.contentHash,
        notify: input.notify,
      },
    });
  });
  return getDisclosure(actor, id);
}

/** A notice with every revision (newest first), its approvals and publications, what it still needs, and the word diff of the newest revision against the published one. */
export async function getDisclosure(actor: Actor, id: string) {
  assertCan(actor, 'console.read');
  const disclosure = isUuid(id)
    ? await db.disclosure.findUnique({
        where: { id },
        include: {
          incident: { select: { id: true, reference: true, title: true } },
          revisions: { orderBy: { number: 'desc' } },
          approvals: { orderBy: { approvedAt: 'asc' } },
          notices: { orderBy: { revision: 'desc' } },
        },
      })
    : null;
  if (!disclosure) throw new NotFound(`No notice ${id}.`);
  const deliveries = await db.noticeDelivery.findMany({ where: { disclosureId: id } });
  const latest = disclosure.revisions[0];
  const roles = disclosure.approvals
    .filter((a) => a.revision === latest.number && a.contentHash === latest.contentHash)
    .map((a) => a.role);
  const published = disclosure.revisions.find((r) => r.number === disclosure.publishedRevision) ?? null;
  return {
    ...disclosure,
    notices: disclosure.notices.map((notice) => ({
      revision: notice.revision,
      publishedAt: notice.publishedAt,
      publishedBy: notice.publishedBy,
      // PublishedNotice.notify is never SUBSCRIBERS (that is only a delivery's audience).
      notify: notice.notify as (typeof NOTIFY)[number],
      mail:
        deliveries
          .filter((d) => d.noticeId === notice.id && d.notify !== 'SUBSCRIBERS')
          .map((d) => ({ status: d.status, queued: d.queued, lastError: d.lastError }))[0] ?? null,
      signed: asSignedNotice(notice),
    })),
    approvalsNeeded: disclosure.status === 'IN_REVIEW' || disclosure.status === 'DRAFT' ? approvalsNeeded(roles) : [],
    problems: publicUrl()
      ? contentProblems(latest, await gateContext())
      : ['Set FIREBREAK_PUBLIC_URL: a notice names the page where it is published.'],
    diff:
      published && published.number !== latest.number
        ? { from: published.number, to: latest.number, parts: wordDiff(published, latest) }
        : null,
  };
}

/** Word-level changes between two revisions (title and body), as the approver and the public see them. */
export function wordDiff(
  from: { title: string; body: string; state?: string },
  to: { title: string; body: string; state?: string },
) {
  // A change of the state the notice gives (investigating → resolved) is shown as a line of its own.
  const text = (r: typeof from) =>
    `${from.state?.toLowerCase() !== to.state?.toLowerCase() && r.state ? `State: ${r.state.toLowerCase()}\n\n` : ''}${r.title}\n\n${r.body}`;
  return diffWords(text(from), text(to)).map((part) => ({
    value: part.value,
    change: part.added ? ('added' as const) : part.removed ? ('removed' as const) : ('same' as const),
  }));
}

export async function listDisclosures(actor: Actor, incidentIdOrRef: string) {
  assertCan(actor, 'console.read');
  const incident = await findIncidentIn(db, incidentIdOrRef);
  return db.disclosure.findMany({
    where: { incidentId: incident.id },
    orderBy: { createdAt: 'desc' },
    include: { revisions: { orderBy: { number: 'desc' }, take: 1 } },
  });
}

/** Every notice, newest first, with its incident and newest revision's title: the Disclosures page. */
export async function listAllDisclosures(actor: Actor) {
  assertCan(actor, 'console.read');
  return db.disclosure.findMany({
    orderBy: { updatedAt: 'desc' },
    take: 200,
    include: {
      incident: { select: { reference: true, title: true, status: true } },
      revisions: { orderBy: { number: 'desc' }, take: 1, select: { title: true, number: true } },
    },
  });
}
