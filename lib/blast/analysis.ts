// The exposure analysis, set-based in PostgreSQL over an incident's imported messages: who was
// exposed, in how many messages, and to how many distinct other people. Run in the importing
// transaction (lib/blast/import.ts), under the incident's blast-radius lock, so the figures always
// describe exactly the messages imported.
//
// An address is exposed by a message when it is visible there (To or Cc) and the message had
// another recipient (To, Cc or Bcc: a Bcc recipient sees the visible set). Its seenBy is the number
// of distinct other recipients of all such messages. For an address exposed by one message that is
// the message's recipients less one, read off the message; only addresses exposed by several
// messages need the union of their recipient sets, once per distinct set of messages, so the cost
// follows the repeats, not the log.
import 'server-only';
import type { Queryable } from '@/lib/db/queryable';

export type HistogramBucket = { from: number; to: number; addresses: number };
export type ExposureFigures = {
  version: number;
  messages: number;
  recipients: number;
  exposingMessages: number;
  multiVisibleMessages: number;
  exposedAddresses: number;
  exposedCustomers: number;
  unmatchedAddresses: number;
  malformed: number;
  histogram: HistogramBucket[];
  markedVersion: number | null;
  analysedAt: Date;
};

/** Buckets of 1, 2, 5 × 10ⁿ (1, 2–4, 5–9, 10–19, 20–49, …; drawn in SQL below): the next floor. */
export function nextBucket(floor: number): number {
  const power = 10 ** (String(floor).length - 1);
  const digit = floor / power;
  return digit === 1 ? 2 * power : digit === 2 ? 5 * power : 10 * power;
}

/** `malformed`: the lines the import that asked could not read (the figures say so, beside them). */
export async function analyseExposure(
  client: Queryable,
  incidentId: string,
  malformed: number,
): Promise<ExposureFigures> {
  await client.query(`DELETE FROM "MailExposure" WHERE "incidentId" = $1`, [incidentId]);
  await client.query(
    `INSERT INTO "MailExposure" ("incidentId", address, messages, "seenBy", "messageKeys", "customerId")
     SELECT $1, e.address, e.messages, e.seen, e.keys, c.id
       FROM (SELECT v.address, count(*)::int AS messages, sum(m.recipients - 1)::int AS seen, array_agg(m.key ORDER BY m.key) AS keys
               FROM "MailLogMessage" m
               CROSS JOIN unnest(m.visible) AS v(address)
              WHERE m."incidentId" = $1 AND m.recipients > 1
              GROUP BY v.address) e
       LEFT JOIN "Customer" c ON c.email = e.address`,
    [incidentId],
  );
  // Exposed by several messages: the distinct union of their recipients (which holds the address
  // itself once), computed once per set of messages — the people of a batch sent twice share one —
  // so a resent batch of 300,000 costs one union, not 300,000.
  await client.query(
    `WITH sets AS (
       SELECT DISTINCT "messageKeys" AS keys FROM "MailExposure" WHERE "incidentId" = $1 AND messages > 1),
     unions AS (
       SELECT s.keys, count(DISTINCT r.address)::int - 1 AS seen
         FROM sets s
         CROSS JOIN unnest(s.keys) AS k(key)
         JOIN "MailLogMessage" m ON m.key = k.key
         CROSS JOIN unnest(m.visible || m.hidden) AS r(address)
        GROUP BY s.keys)
     UPDATE "MailExposure" x SET "seenBy" = u.seen
       FROM unions u
      WHERE x."incidentId" = $1 AND x.messages > 1 AND x."messageKeys" = u.keys`,
    [incidentId],
  );
  const { rows } = await client.query(
    `WITH messages AS (
       SELECT count(*)::int AS messages, coalesce(sum(entries), 0)::bigint AS recipients,
              count(*) FILTER (WHERE cardinality(visible) >= 1 AND recipients > 1)::int AS "exposingMessages",
              count(*) FILTER (WHERE cardinality(visible) > 1)::int AS "multiVisibleMessages"
         FROM "MailLogMessage" WHERE "incidentId" = $1),
     exposed AS (
       SELECT count(*)::int AS "exposedAddresses", count("customerId")::int AS "exposedCustomers"
         FROM "MailExposure" WHERE "incidentId" = $1),
     buckets AS (
       SELECT p * CASE WHEN s >= 5 * p THEN 5 WHEN s >= 2 * p THEN 2 ELSE 1 END AS floor, count(*)::int AS addresses
         FROM (SELECT "seenBy" AS s, (10::bigint ^ (length("seenBy"::text) - 1))::bigint AS p
                 FROM "MailExposure" WHERE "incidentId" = $1) b
        GROUP BY 1)
     INSERT INTO "MailExposureSummary" ("incidentId", version, messages, recipients, "exposingMessages", "multiVisibleMessages",
                                        "exposedAddresses", "exposedCustomers", "unmatchedAddresses", malformed, histogram, "analysedAt")
     SELECT $1, 1, messages, recipients, "exposingMessages", "multiVisibleMessages", "exposedAddresses", "exposedCustomers",
            "exposedAddresses" - "exposedCustomers", $2::int,
            coalesce((SELECT jsonb_agg(jsonb_build_array(floor, addresses) ORDER BY floor) FROM buckets), '[]'), now()
       FROM messages, exposed
     ON CONFLICT ("incidentId") DO UPDATE SET
       version = "MailExposureSummary".version + 1, messages = EXCLUDED.messages, recipients = EXCLUDED.recipients,
       "exposingMessages" = EXCLUDED."exposingMessages", "multiVisibleMessages" = EXCLUDED."multiVisibleMessages",
       "exposedAddresses" = EXCLUDED."exposedAddresses", "exposedCustomers" = EXCLUDED."exposedCustomers",
       "unmatchedAddresses" = EXCLUDED."unmatchedAddresses", malformed = EXCLUDED.malformed,
       histogram = EXCLUDED.histogram, "analysedAt" = EXCLUDED."analysedAt"
     RETURNING *`,
    [incidentId, malformed],
  );
  return figuresOf(rows[0] as SummaryRow);
}

/**
 * An import that added no message changes no figure: the analysis is not run again (its version
 * stays, so a confirmation in progress stays valid); only the malformed count is that import's.
 */
export async function unchangedExposure(client: Queryable, incidentId: string, malformed: number) {
  const { rows } = await client.query(
    `UPDATE "MailExposureSummary" SET malformed = $2::int WHERE "incidentId" = $1 RETURNING *`,
    [incidentId, malformed],
  );
  return rows[0] ? figuresOf(rows[0] as SummaryRow) : null;
}

export type SummaryRow = Omit<ExposureFigures, 'recipients' | 'histogram'> & {
  recipients: bigint | string | number;
  histogram: unknown;
};

/** The stored summary as figures: the histogram's [floor, count] pairs become labelled buckets. */
export function figuresOf(row: SummaryRow): ExposureFigures {
  const pairs = (row.histogram as [number, number][]) ?? [];
  return {
    version: row.version,
    messages: row.messages,
    recipients: Number(row.recipients),
    exposingMessages: row.exposingMessages,
    multiVisibleMessages: row.multiVisibleMessages,
    exposedAddresses: row.exposedAddresses,
    exposedCustomers: row.exposedCustomers,
    unmatchedAddresses: row.unmatchedAddresses,
    malformed: row.malformed,
    histogram: pairs.map(([floor, addresses]) => ({
      from: Number(floor),
      to: nextBucket(Number(floor)) - 1,
      addresses,
    })),
    markedVersion: row.markedVersion ?? null,
    analysedAt: new Date(row.analysedAt),
  };
}
