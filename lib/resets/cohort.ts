// The cohort predicate of a reset campaign — which customers it resets — in SQL over "Customer"
// aliased `cu`. One definition (inCohort) for the dry-run count and the fan-out (a requested
// campaign's fields as parameters) and for the login and session checks (the campaigns' columns).
// Queries are composed with sql-template-tag: values become numbered parameters wherever the
// fragment lands, so nobody counts `$n` by hand.
import sql, { raw, type Sql } from 'sql-template-tag';

export type Cohort = {
  incidentId: string;
  scope: 'ALL' | 'AFFECTED';
  onlyWithout2fa: boolean;
  onlyWithBalance: boolean;
};

type CohortFields = { [K in keyof Cohort]: Cohort[K] | Sql };

/** Whether customer `cu` is in the cohort of a campaign with these fields (values or column references). */
export function inCohort(c: CohortFields): Sql {
  return sql`(${c.scope}::text = 'ALL'
      OR EXISTS (SELECT 1 FROM "IncidentAffectedCustomer" a WHERE a."incidentId" = ${c.incidentId}::uuid AND a."customerId" = cu.id))
    AND (NOT ${c.onlyWithout2fa}::boolean OR NOT cu."twoFactorEnabled")
    AND (NOT ${c.onlyWithBalance}::boolean OR cu."hasBalance")`;
}

/** The customers a requested campaign will reset: active ones in its cohort. */
export function cohortWhere(cohort: Cohort): Sql {
  return sql`cu.status = 'ACTIVE' AND ${inCohort({
    incidentId: cohort.incidentId,
    scope: cohort.scope,
    onlyWithout2fa: cohort.onlyWithout2fa,
    onlyWithBalance: cohort.onlyWithBalance,
  })}`;
}

/**
 * SQL text (no parameters): the effective campaigns whose cohort holds customer `cu`. Shared by the
 * login and session checks and the late-link switch.
 */
export const effectiveCampaignsSql = sql`
  SELECT c.id, c."effectiveAt", c."revokeSessions", c."sendMail" FROM "ResetCampaign" c
   WHERE c.status IN ('RUNNING', 'COMPLETED') AND c."effectiveAt" <= now()
     AND ${inCohort({
       incidentId: raw('c."incidentId"'),
       scope: raw('c.scope'),
       onlyWithout2fa: raw('c."onlyWithout2fa"'),
       onlyWithBalance: raw('c."onlyWithBalance"'),
     })}`.text;
