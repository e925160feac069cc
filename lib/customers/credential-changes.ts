// Changing an existing customer's email or password hash from an import: the way to hand an
// account to someone else, so never one person's act. The import records the changes it was
// asked for (lib/customers/import.ts, only when the request says so, with a reason); a second
// person approves them in a signed-in session, under the same independence rules as a reset
// (lib/auth/approval.ts), and only then are they applied — each one revoking the customer's
// sessions and retiring their unused reset links; a new password hash also moves
// `credentialsChangedAt` (it is a new password). A customer whose email or credentials changed
// since the import (a password reset, another approved change) is left alone, counted as stale.
import 'server-only';
import { recordAudit } from '@/lib/audit';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertIndependentApprover } from '@/lib/auth/approval';
import { assertCan } from '@/lib/auth/policy';
import { db, type Tx } from '@/lib/db';
import { Conflict, NotFound } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

/** Customers named in an audit event; the request's rows (`getCredentialChanges`) are the full detail. */
export const AUDITED_CUSTOMERS = 1000;

/** Rows shown by `getCredentialChanges`. */
const DETAIL_ROWS = 1000;

export async function listCredentialChangeRequests(actor: Actor) {
  assertCan(actor, 'customers.import');
  return db.credentialChangeRequest.findMany({ orderBy: { requestedAt: 'desc' }, take: 50 });
}

/** A request and (up to 1,000 of) its changes: which customer, which field, old and new address. Never hashes. */
export async function getCredentialChanges(actor: Actor, id: string) {
  assertCan(actor, 'customers.import');
  const request = isUuid(id) ? await db.credentialChangeRequest.findUnique({ where: { id } }) : null;
  if (!request) throw new NotFound(`No credential change request ${id}.`);
  const rows = await db.credentialChange.findMany({
    where: { requestId: id },
    orderBy: { line: 'asc' },
    take: DETAIL_ROWS,
    select: { externalId: true, line: true, oldEmail: true, newEmail: true, newPasswordHash: true },
  });
  const changes = rows.map(({ newPasswordHash, ...row }) => ({ ...row, passwordHash: newPasswordHash !== null }));
  return { ...request, changes, moreChanges: request.customerCount > changes.length };
}

async function lockPending(tx: Tx, id: string) {
  const [request] = isUuid(id)
    ? await tx.$queryRaw<{ id: string; status: string; requestedById: string | null }[]>`
    SELECT id, status::text, "requestedById" FROM "CredentialChangeRequest" WHERE id = ${id}::uuid FOR UPDATE`
    : [];
  if (!request) throw new NotFound(`No credential change request ${id}.`);
  if (request.status !== 'PENDING_APPROVAL')
    throw new Conflict(`These credential changes are ${request.status}, not waiting for approval.`, 'not_pending');
  return request;
}

export async function approveCredentialChanges(actor: Actor, id: string) {
  assertCan(actor, 'customers.import');
  return applyApproval(actor, id).catch((error) => {
    // An address taken by another customer between the check above and the update (a concurrent import).
    if (/Customer_email_key/.test(String((error as Error).message))) {
      throw new Conflict(
        'An address in these changes was just given to another customer; nothing was applied. Approve again to apply the rest.',
        'concurrent_change',
      );
    }
    throw error;
  });
}

async function applyApproval(actor: Actor, id: string) {
  return db.$transaction(async (tx) => {
    const request = await lockPending(tx, id);
    await assertIndependentApprover(tx, actor, request.requestedById, 'these credential changes');
    // Lock the customers first, in id order (the fan-out's order: no deadlock), in a statement of
    // their own: the update below then takes its snapshot after a fan-out chunk that held them
    // committed, and retires the links that chunk issued.
    await tx.$queryRaw`SELECT c.id FROM "Customer" c JOIN "CredentialChange" ch ON ch."customerId" = c.id
                        WHERE ch."requestId" = ${id}::uuid ORDER BY c.id FOR UPDATE OF c`;
    // One statement: every still-current change applied and the customer's sessions revoked. A new
    // password hash is a new password: it counts as the customer's reset (credentialsChangedAt
    // moves past every campaign, the reset flag clears). A new email alone is not: a pending reset
    // still holds, but its links went to the old address, so they stop working and the next
    // refusal mails a new one to the new address (lib/resets/late-links.ts).
    const applied = await tx.$queryRaw<{ externalId: string; email: boolean; passwordHash: boolean }[]>`
      WITH applied AS (
      UPDATE "Customer" c
         SET email = coalesce(ch."newEmail", c.email),
             "passwordHash" = coalesce(ch."newPasswordHash", c."passwordHash"),
             "credentialsChangedAt" = CASE WHEN ch."newPasswordHash" IS NOT NULL THEN now() ELSE c."credentialsChangedAt" END,
             "mustResetPassword" = CASE WHEN ch."newPasswordHash" IS NOT NULL THEN false ELSE c."mustResetPassword" END,
             "sessionsRevokedBefore" = clock_timestamp() -- after any session a login committed while we waited for its row
        FROM "CredentialChange" ch
       WHERE ch."requestId" = ${id}::uuid AND c.id = ch."customerId"
         AND c.email = ch."oldEmail" AND c."credentialsChangedAt" = ch."credentialsChangedAt"
         -- An email changed away and back would pass the two checks above: any change to this
         -- customer applied since this request was made makes it stale too.
         AND (ch."newEmail" IS NULL OR NOT EXISTS (SELECT 1 FROM "Customer" o WHERE o.email = ch."newEmail" AND o.id <> c.id))
         AND NOT EXISTS (SELECT 1 FROM "CredentialChange" other JOIN "CredentialChangeRequest" r ON r.id = other."requestId"
                          WHERE other."customerId" = ch."customerId" AND r.status = 'APPLIED'
                            AND r."decidedAt" > (SELECT "requestedAt" FROM "CredentialChangeRequest" WHERE id = ${id}::uuid))
      RETURNING c.id, c."externalId", ch."newEmail" IS NOT NULL AS email, ch."newPasswordHash" IS NOT NULL AS "passwordHash"),
      links AS (
        UPDATE "ResetToken" t SET "expiresAt" = now() FROM applied a
         WHERE t."customerId" = a.id AND t."usedAt" IS NULL AND t."expiresAt" > now())
      SELECT "externalId", email, "passwordHash" FROM applied`;
    const total = await tx.credentialChange.count({ where: { requestId: id } });
    const decided = await tx.credentialChangeRequest.update({
      where: { id },
      data: {
        status: 'APPLIED',
        decidedById: actorStaffId(actor),
        decidedBy: actorLabel(actor),
        decidedAt: new Date(),
        appliedCount: applied.length,
        staleCount: total - applied.length,
      },
    });
    await recordAudit(tx, actor, {
      action: 'customers.credentials_changed',
      targetType: 'CredentialChangeRequest',
      targetId: id,
      data: {
        applied: applied.length,
        stale: total - applied.length,
        sessionsRevoked: true,
        customers: applied.slice(0, AUDITED_CUSTOMERS).map((row) => ({
          externalId: row.externalId,
          fields: [row.email && 'email', row.passwordHash && 'passwordHash'].filter(Boolean),
        })),
        moreCustomers: applied.length > AUDITED_CUSTOMERS,
      },
    });
    return decided;
  });
}

export async function cancelCredentialChanges(actor: Actor, id: string) {
  assertCan(actor, 'customers.import');
  return db.$transaction(async (tx) => {
    await lockPending(tx, id);
    const cancelled = await tx.credentialChangeRequest.update({
      where: { id },
      data: {
        status: 'CANCELLED',
        decidedById: actorStaffId(actor),
        decidedBy: actorLabel(actor),
        decidedAt: new Date(),
      },
    });
    await recordAudit(tx, actor, {
      action: 'customers.credential_changes_cancelled',
      targetType: 'CredentialChangeRequest',
      targetId: id,
    });
    return cancelled;
  });
}
