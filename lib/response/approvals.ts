// What waits for the signed-in person's approval: the banner on every console page. A request
// nobody is told about is a response that stops; the banner names each one with a link to where
// it is decided. Read-only; approving goes through the owning module, which checks again.
import 'server-only';
import type { StaffActor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { db } from '@/lib/db';
import { wroteUnpublishedRevision } from '@/lib/disclosures';

export type Awaiting = { id: string; what: string; href: string };

/**
 * Whether the notice's newest revision waits for this person's approval: in review, a role that
 * approves, not one of its authors since the last publication, not approved by them already.
 * lib/disclosures decides again when they approve. `revisions[0]` is the newest revision, as both
 * callers have it loaded already (listDisclosures, the banner's query).
 */
export async function mayApproveNotice(
  actor: StaffActor,
  notice: {
    id: string;
    status: string;
    publishedRevision: number | null;
    revisions: { number: number; contentHash: string }[];
  },
) {
  if (notice.status !== 'IN_REVIEW' || !can(actor, 'disclosure.approve')) return false;
  const [latest] = notice.revisions;
  const approved = await db.disclosureApproval.count({
    where: { disclosureId: notice.id, approverId: actor.id, revision: latest.number, contentHash: latest.contentHash },
  });
  return approved === 0 && !(await wroteUnpublishedRevision(actor, notice));
}

/** The query only for those whose role may decide (an empty list for the rest). */
function onlyIf<T>(allowed: boolean, query: () => Promise<T[]>): Promise<T[]> {
  return allowed ? query() : Promise.resolve([]);
}

export async function awaitingApproval(actor: StaffActor): Promise<Awaiting[]> {
  const [resets, changes, notices] = await Promise.all([
    onlyIf(can(actor, 'reset.approve'), () =>
      db.resetCampaign.findMany({
        where: { status: 'PENDING_APPROVAL', OR: [{ requestedById: null }, { requestedById: { not: actor.id } }] },
        orderBy: { requestedAt: 'asc' },
        select: { id: true, targetCount: true, requestedBy: true, incidentId: true },
      }),
    ),
    onlyIf(can(actor, 'customers.import'), () =>
      db.credentialChangeRequest.findMany({
        where: { status: 'PENDING_APPROVAL', OR: [{ requestedById: null }, { requestedById: { not: actor.id } }] },
        orderBy: { requestedAt: 'asc' },
        select: { id: true, customerCount: true, requestedBy: true },
      }),
    ),
    onlyIf(can(actor, 'disclosure.approve'), () =>
      db.disclosure.findMany({
        where: { status: 'IN_REVIEW' },
        orderBy: { updatedAt: 'asc' },
        include: {
          incident: { select: { reference: true } },
          revisions: { orderBy: { number: 'desc' }, take: 1 },
          approvals: { where: { approverId: actor.id } },
        },
      }),
    ),
  ]);
  const mine = [];
  for (const notice of notices)
    if (await mayApproveNotice(actor, notice)) mine.push({ notice, latest: notice.revisions[0] });
  const references = new Map(
    (
      await db.incident.findMany({
        where: { id: { in: resets.map((r) => r.incidentId) } },
        select: { id: true, reference: true },
      })
    ).map((i) => [i.id, i.reference]),
  );
  return [
    ...resets.map((r) => ({
      id: r.id,
      what: `Password reset of ${r.targetCount.toLocaleString('en-US')} customers (${references.get(r.incidentId)}), requested by ${r.requestedBy}`,
      href: `/incidents/${references.get(r.incidentId)}#reset`,
    })),
    ...mine.map(({ notice, latest }) => ({
      id: notice.id,
      what: `Notice “${latest.title}” (${notice.incident.reference}), revision ${latest.number}`,
      href: `/disclosures/${notice.id}`,
    })),
    ...changes.map((c) => ({
      id: c.id,
      what: `Credential changes for ${c.customerCount.toLocaleString('en-US')} customers, requested by ${c.requestedBy}`,
      href: '/customers',
    })),
  ];
}
