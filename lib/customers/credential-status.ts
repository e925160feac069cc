// The credential-status API: the exchange's own login service asks whether a customer's current
// password still holds, instead of Firebreak's reference login answering for it. The answer is the
// reference login's own switch (lib/resets/late-links.ts resetRequiredSql): one predicate, so the
// two cannot disagree, and in effect the moment a reset is approved (no per-customer row needed).
//
// The single lookup is the login path: like the reference login, a customer it refuses without a
// live reset link gets one (nobody is told to reset without the means to). The batch is a report
// and writes nothing. Both go through the plain pg pool (lib/db/pool.ts): this is the path of the
// login wave after a reset, and bench:credential-status measures it.
import 'server-only';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { issueLinkSafely } from '@/lib/customers/auth';
import { pgPool } from '@/lib/db/pool';
import { NotFound } from '@/lib/errors';
import { effectiveCampaignsSql } from '@/lib/resets/cohort';
import { linkMissingSql, resetRequiredSql } from '@/lib/resets/late-links';
import { parseInput } from '@/lib/validation';

const externalId = z.string().trim().min(1, 'Name the customer (externalId).').max(200);
export const CREDENTIAL_STATUS_BATCH = 1000;
export const credentialStatusBatchInput = z.object({
  externalIds: z
    .array(externalId)
    .min(1, 'Name at least one customer.')
    .max(CREDENTIAL_STATUS_BATCH, `At most ${CREDENTIAL_STATUS_BATCH} customers a call.`),
});

export type CredentialStatus = {
  externalId: string;
  /** `valid`: the current password holds. `reset_required`: refuse it and send the customer to reset. */
  status: 'valid' | 'reset_required';
  /** The reset campaign that requires it (the earliest in effect), when one does. */
  campaign: string | null;
  /** Since when the current password has been refused. */
  since: Date | null;
};

type Row = {
  id: string;
  externalId: string;
  resetRequired: boolean;
  stranded: boolean;
  campaign: string | null;
  since: Date | null;
};

/**
 * One query for any number of customers. The campaign is the earliest effective one that holds
 * the customer; a customer refused by the fan-out's flag alone (the campaign no longer holds them,
 * e.g. they were un-marked affected after the fan-out passed) is named by the campaign of their
 * newest reset link.
 */
async function lookUp(externalIds: string[]): Promise<Row[]> {
  const { rows } = await pgPool().query<Row>({
    name: 'credential-status',
    text: `SELECT cu.id, cu."externalId", r."resetRequired",
            r."resetRequired" AND ${linkMissingSql} AS stranded,
            CASE WHEN r."resetRequired" THEN coalesce(e.id, t."campaignId") END AS campaign,
            CASE WHEN r."resetRequired" THEN coalesce(e."effectiveAt", tc."effectiveAt") END AS since
       FROM "Customer" cu
       CROSS JOIN LATERAL (SELECT ${resetRequiredSql} AS "resetRequired") r
       LEFT JOIN LATERAL (SELECT c.id, c."effectiveAt" FROM (${effectiveCampaignsSql} AND c."effectiveAt" > cu."credentialsChangedAt") c
                           ORDER BY c."effectiveAt" LIMIT 1) e ON r."resetRequired"
       LEFT JOIN LATERAL (SELECT t."campaignId" FROM "ResetToken" t WHERE t."customerId" = cu.id
                           ORDER BY t."createdAt" DESC LIMIT 1) t ON r."resetRequired" AND e.id IS NULL
       LEFT JOIN "ResetCampaign" tc ON tc.id = t."campaignId"
      WHERE cu."externalId" = ANY ($1::text[])`,
    values: [externalIds],
  });
  return rows;
}

const view = (row: Row): CredentialStatus => ({
  externalId: row.externalId,
  status: row.resetRequired ? 'reset_required' : 'valid',
  campaign: row.campaign,
  since: row.since,
});

/** Whether this customer's current password holds; a refused customer without a live link gets one. */
export async function credentialStatus(actor: Actor, rawExternalId: string): Promise<CredentialStatus> {
  assertCan(actor, 'customers.credential_status');
  const id = parseInput(externalId, rawExternalId);
  const [row] = await lookUp([id]);
  if (!row) throw new NotFound(`No customer with externalId ${id}.`);
  if (row.stranded) await issueLinkSafely(row.id);
  return view(row);
}

/** The same answer for up to 1,000 customers, in the order asked; ids that name nobody are listed apart. */
export async function credentialStatuses(actor: Actor, raw: unknown) {
  assertCan(actor, 'customers.credential_status');
  const { externalIds } = parseInput(credentialStatusBatchInput, raw);
  const found = new Map((await lookUp([...new Set(externalIds)])).map((row) => [row.externalId, row]));
  const seen = new Set<string>();
  const results: CredentialStatus[] = [];
  const unknown: string[] = [];
  for (const id of externalIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    const row = found.get(id);
    if (row) results.push(view(row));
    else unknown.push(id);
  }
  return { results, unknown };
}
