// The cohort predicate of a reset campaign, in SQL over "Customer" aliased `cu`. One definition
// for the dry-run count, the fan-out and (mirrored per customer) the login check in
// lib/customers/auth.ts.
export type Cohort = {
  incidentId: string;
  scope: 'ALL' | 'AFFECTED';
  onlyWithout2fa: boolean;
  onlyWithBalance: boolean;
};

/** A WHERE clause and its values, numbered from `first`. */
export function cohortWhere(cohort: Cohort, first = 1): { sql: string; values: unknown[] } {
  const clauses = [`cu.status = 'ACTIVE'`];
  const values: unknown[] = [];
  if (cohort.scope === 'AFFECTED') {
    values.push(cohort.incidentId);
    clauses.push(
      `EXISTS (SELECT 1 FROM "IncidentAffectedCustomer" a WHERE a."customerId" = cu.id AND a."incidentId" = $${first + values.length - 1}::uuid)`,
    );
  }
  if (cohort.onlyWithout2fa) clauses.push(`NOT cu."twoFactorEnabled"`);
  if (cohort.onlyWithBalance) clauses.push(`cu."hasBalance"`);
  return { sql: clauses.join(' AND '), values };
}

/**
 * SQL: the effective campaigns whose cohort holds a customer, given SQL expressions for the
 * customer's id, twoFactorEnabled and hasBalance (columns of `cu`). Shared by
 * login and session checks; the fan-out (this module's cohortWhere) applies the same cohort predicate.
 */
export const effectiveCampaignsSql = (id: string, twoFactor: string, hasBalance: string) => `
  SELECT c.id, c."effectiveAt", c."revokeSessions", c."sendMail" FROM "ResetCampaign" c
   WHERE c.status IN ('RUNNING', 'COMPLETED') AND c."effectiveAt" <= now()
     AND (c.scope = 'ALL' OR EXISTS (SELECT 1 FROM "IncidentAffectedCustomer" a WHERE a."incidentId" = c."incidentId" AND a."customerId" = ${id}))
     AND (NOT c."onlyWithout2fa" OR NOT ${twoFactor})
     AND (NOT c."onlyWithBalance" OR ${hasBalance})`;
