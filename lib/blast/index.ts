// The blast radius of an incident, read: its figures and logs (the war room's panel), the answer to
// "was this address exposed, and to whom?", the exposed set for regulators (CSV), and the one
// action that turns the exposed customers into the incident's AFFECTED set.
import 'server-only';
import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { to as copyTo } from 'pg-copy-streams';
import { recordAudit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { requireDatabaseUrl } from '@/lib/config';
import { db } from '@/lib/db';
import { createPgClient } from '@/lib/db/pg';
import { prismaQueryable } from '@/lib/db/queryable';
import { Conflict, Invalid } from '@/lib/errors';
import { findIncidentIn } from '@/lib/incidents';
import { recordIncidentAction } from '@/lib/incidents/timeline';
import { parseInput } from '@/lib/validation';
import { parseAddressList } from './addresses';
import { type ExposureFigures, figuresOf, type SummaryRow } from './analysis';
import { lockBlastRadius, type MailLogCounts, type MalformedLine } from './import';
import { markExposedInput } from './schema';

export type { ExposureFigures, HistogramBucket } from './analysis';

export type MailLogView = MailLogCounts & {
  id: string;
  name: string;
  format: string;
  importedAt: Date;
  importedBy: string;
};
export type BlastRadius = { figures: ExposureFigures | null; logs: MailLogView[] };

/** The most people named as having seen an address, and messages listed, in one answer. */
export const SEEN_BY_NAMED = 100;
export const MESSAGES_LISTED = 20;

/** The incident's figures as last analysed (null before any log) and its imported logs, newest first. */
export async function blastRadius(actor: Actor, incidentIdOrRef: string): Promise<BlastRadius> {
  assertCan(actor, 'console.read');
  const { id: incidentId } = await findIncidentIn(db, incidentIdOrRef);
  const [summary, logs] = await Promise.all([
    db.mailExposureSummary.findUnique({ where: { incidentId } }),
    db.mailLog.findMany({ where: { incidentId }, orderBy: { importedAt: 'desc' }, take: 20 }),
  ]);
  return {
    figures: summary ? figuresOf(summary as unknown as SummaryRow) : null,
    logs: logs.map(({ malformedSample, recipients, incidentId: _, importedById: __, ...log }) => ({
      ...log,
      recipients: Number(recipients),
      malformedLines: malformedSample as MalformedLine[],
    })),
  };
}

export type ExposureAnswer =
  | { address: string; exposed: false }
  | {
      address: string;
      exposed: true;
      customer: { externalId: string } | null;
      seenBy: number;
      messageCount: number;
      messages: { messageId: string; sentAt: Date | null; recipients: number }[];
      /** Up to SEEN_BY_NAMED of the people who saw it, in order. */
      seenBySample: string[];
    };

/** Was this address exposed by the incident's mail logs, in which messages, and to whom? */
export async function searchExposure(actor: Actor, incidentIdOrRef: string, query: string): Promise<ExposureAnswer> {
  assertCan(actor, 'console.read');
  const parsed = parseAddressList(query.slice(0, 1000));
  if ('error' in parsed || parsed.addresses.length !== 1)
    throw new Invalid('Enter one email address, e.g. alice@example.com.', {
      fields: { address: 'Enter one email address.' },
    });
  const [address] = parsed.addresses;
  const incident = await findIncidentIn(db, incidentIdOrRef);
  const exposure = await db.mailExposure.findUnique({
    where: { incidentId_address: { incidentId: incident.id, address } },
  });
  if (!exposure) return { address, exposed: false };
  const keys = exposure.messageKeys;
  const [messages, seenBy, customer] = await Promise.all([
    db.mailLogMessage.findMany({
      where: { key: { in: keys.slice(0, MESSAGES_LISTED) } },
      orderBy: { key: 'asc' },
      select: { messageId: true, sentAt: true, recipients: true },
    }),
    db.$queryRaw<{ address: string }[]>`
      SELECT DISTINCT r.address FROM "MailLogMessage" m CROSS JOIN unnest(m.visible || m.hidden) AS r(address)
       WHERE m.key = ANY (${keys}::bigint[]) AND r.address <> ${address}
       ORDER BY r.address LIMIT ${SEEN_BY_NAMED}`,
    exposure.customerId
      ? db.customer.findUnique({ where: { id: exposure.customerId }, select: { externalId: true } })
      : null,
  ]);
  return {
    address,
    exposed: true,
    customer,
    seenBy: exposure.seenBy,
    messageCount: exposure.messages,
    messages,
    seenBySample: seenBy.map((row) => row.address),
  };
}

/**
 * Marks the exposed customers as affected by the incident (the AFFECTED cohort), as the analysis
 * `version` the person saw counted them: if another log has been imported since, nothing is marked
 * and the new count is named, so what was confirmed is what is applied.
 */
export async function markExposedAffected(actor: Actor, incidentIdOrRef: string, input: unknown) {
  assertCan(actor, 'incident.update');
  const { version } = parseInput(markExposedInput, input);
  return db.$transaction(
    async (tx) => {
      const incident = await findIncidentIn(tx, incidentIdOrRef);
      // Not waiting behind an import: its analysis is about to change what would be marked.
      if (!(await lockBlastRadius(prismaQueryable(tx), incident.id, false)))
        throw new Conflict(
          `A mail log is being imported into ${incident.reference}: the figures are about to change. Mark when it has finished.`,
          'blast_radius_changed',
        );
      if (incident.status === 'CLOSED')
        throw new Conflict(`${incident.reference} is closed: reopen it to change who is affected.`, 'incident_closed');
      const summary = await tx.mailExposureSummary.findUnique({ where: { incidentId: incident.id } });
      if (!summary)
        throw new Conflict(`${incident.reference} has no mail log imported: nobody is exposed yet.`, 'no_blast_radius');
      if (summary.version !== version)
        throw new Conflict(
          `The figures confirmed (version ${version}) are not the current ones (version ${summary.version}, after another import): ${summary.exposedCustomers.toLocaleString('en-US')} exposed customers now. Check the figures and confirm again.`,
          'blast_radius_changed',
        );
      const added = await tx.$executeRaw`
        INSERT INTO "IncidentAffectedCustomer" ("incidentId", "customerId")
        SELECT "incidentId", "customerId" FROM "MailExposure"
         WHERE "incidentId" = ${incident.id}::uuid AND "customerId" IS NOT NULL
        ON CONFLICT DO NOTHING`;
      await tx.mailExposureSummary.update({ where: { incidentId: incident.id }, data: { markedVersion: version } });
      const affected = await tx.incidentAffectedCustomer.count({ where: { incidentId: incident.id } });
      await recordIncidentAction(tx, actor, incident, {
        action: 'incident.affected_marked',
        message: `${summary.exposedCustomers.toLocaleString('en-US')} exposed customer(s) marked as affected (${added.toLocaleString('en-US')} newly)`,
        data: { from: 'blast radius', version, exposedCustomers: summary.exposedCustomers, added, affected },
      });
      return { exposedCustomers: summary.exposedCustomers, added, affected };
    },
    { timeout: 120_000 },
  );
}

/**
 * The exposed set as CSV (address, externalId, messages, seenBy; most seen first), streamed from
 * the database: a million rows never sit in memory. Audited: it is a list of people's addresses.
 */
export async function exportExposure(
  actor: Actor,
  incidentIdOrRef: string,
): Promise<{ reference: string; stream: Readable }> {
  assertCan(actor, 'console.read');
  const incident = await findIncidentIn(db, incidentIdOrRef);
  await db.$transaction((tx) =>
    recordAudit(tx, actor, {
      action: 'incident.exposure_exported',
      targetType: 'Incident',
      targetId: incident.id,
      data: { reference: incident.reference },
    }),
  );
  const client = createPgClient('exposure export', { connectionString: requireDatabaseUrl() });
  await client.connect();
  // The id is a uuid read from the database, so it may stand in the statement (COPY takes no parameters).
  const rows = client.query(
    copyTo(`COPY (SELECT e.address, c."externalId" AS "externalId", e.messages, e."seenBy"
                    FROM "MailExposure" e LEFT JOIN "Customer" c ON c.id = e."customerId"
                   WHERE e."incidentId" = '${incident.id}'
                   ORDER BY e."seenBy" DESC, e.address) TO STDOUT (FORMAT csv, HEADER)`),
  );
  // Written again by csv-stringify, as the audit export is, so that a cell a spreadsheet would run
  // as a formula (an address or external id starting with =, +, - or @) is neutralised.
  const stream = pipeline(rows, parse(), stringify({ escape_formulas: true }), () => {
    void client.end().catch(() => {});
  });
  return { reference: incident.reference, stream };
}
