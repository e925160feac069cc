// The cohort predicate of a reset campaign, in SQL over "Customer" aliased `cu`. One definition
// for the dry-run count, the fan-out and (mirrored per customer) the login check in
// lib/customers/auth.ts.
export type Cohort = { incidentId: string; scope: 'ALL' | 'AFFECTED'; onlyWithout2fa: boolean; onlyWithBalance: boolean };

/** A WHERE clause and its values, numbered from `first`. */
export function cohortWhere(cohort: Cohort, first = 1): { sql: string; values: unknown[] } {
  const clauses = [`cu.status = 'ACTIVE'`];
  const values: unknown[] = [];
  if (cohort.scope === 'AFFECTED') {
    values.push(cohort.incidentId);
    clauses.push(`EXISTS (SELECT 1 FROM "IncidentAffectedCustomer" a WHERE a."customerId" = cu.id AND a."incidentId" = $${first + values.length - 1}::uuid)`);
  }
  if (cohort.onlyWithout2fa) clauses.push(`NOT cu."twoFactorEnabled"`);
  if (cohort.onlyWithBalance) clauses.push(`cu."hasBalance"`);
  return { sql: clauses.join(' AND '), values };
}
