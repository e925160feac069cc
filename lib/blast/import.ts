// Importing a mail log into an incident: the log is read as a stream (lib/blast/log.ts), its
// messages copied (COPY FROM STDIN) into a temporary table as they are parsed, then added to the
// incident's messages in one statement — those whose message id the incident has already are
// skipped, so importing the same log again adds nothing — and the exposure analysed again, all in
// one transaction. Malformed lines are not imported; they are counted and the first of them named
// with their line numbers, so the log can be mended and imported again.
import 'server-only';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { recordAuditPg } from '@/lib/audit';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { requireDatabaseUrl } from '@/lib/config';
import { createPgClient } from '@/lib/db/pg';
import type { Queryable } from '@/lib/db/queryable';
import { Conflict, Invalid, NotFound } from '@/lib/errors';
import { byIdOrReference } from '@/lib/incidents/schema';
import { appendTimeline } from '@/lib/incidents/timeline';
import { parseInput } from '@/lib/validation';
import { analyseExposure, type ExposureFigures, unchangedExposure } from './analysis';
import { type LogFormat, readMailLog } from './log';
import { type MailLogOptions, mailLogOptions } from './schema';

export type MalformedLine = { line: number; message: string };
/** What one import of a log did: what it read, added, skipped, and could not read. */
export type MailLogCounts = {
  lines: number;
  messages: number;
  duplicates: number;
  malformed: number;
  /** The first MALFORMED_NAMED malformed lines, with why. */
  malformedLines: MalformedLine[];
  recipients: number;
};
export type MailLogImport = MailLogCounts & { logId: string; figures: ExposureFigures };

export const MALFORMED_NAMED = 100;

/** One value of a COPY text-format row: backslash, tab and line ends escaped; \N is NULL. */
const copyText = (value: string | null) =>
  value === null
    ? '\\N'
    : value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
/** Normalised addresses hold nothing an array literal quotes (lib/blast/addresses.ts ADDRESS). */
const arrayText = (addresses: string[]) => `{${addresses.join(',')}}`;

/**
 * One import's analysis or one marking at a time per incident, for the rest of the transaction:
 * each analysis sees every message before it. `wait: false` answers whether it was free instead.
 */
export async function lockBlastRadius(client: Queryable, incidentId: string, wait = true): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT ${wait ? 'pg_advisory_xact_lock' : 'pg_try_advisory_xact_lock'}(hashtext('blast:' || $1))::text AS locked`,
    [incidentId],
  );
  return wait || (rows[0] as { locked: string }).locked === 'true';
}

/** The incident by reference or uuid, by the rule every entry point uses (byIdOrReference). */
async function findIncidentForBlast(client: Queryable, idOrReference: string) {
  const where = byIdOrReference(idOrReference);
  const { rows } = where
    ? await client.query(
        `SELECT id, reference, status FROM "Incident" WHERE ${'id' in where ? 'id = $1::uuid' : 'reference = $1'}`,
        ['id' in where ? where.id : where.reference],
      )
    : { rows: [] };
  const incident = rows[0] as { id: string; reference: string; status: string } | undefined;
  if (!incident) throw new NotFound(`No incident ${idOrReference}.`);
  return incident;
}

const CLOSED = (reference: string) =>
  new Conflict(`${reference} is closed: reopen it to import a mail log.`, 'incident_closed');

export async function importMailLog(
  actor: Actor,
  incidentIdOrRef: string,
  source: Readable,
  format: LogFormat,
  rawOptions: MailLogOptions = {},
): Promise<MailLogImport> {
  assertCan(actor, 'blast.import');
  const { name } = parseInput(mailLogOptions, rawOptions);
  const client = createPgClient('mail log import', { connectionString: requireDatabaseUrl() });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Through this connection, not Prisma: the CLI's import runs without loading the Prisma client
    // (lib/blast/memory.test.ts bounds its memory).
    const incident = await findIncidentForBlast(client, incidentIdOrRef);
    if (incident.status === 'CLOSED') throw CLOSED(incident.reference);
    await client.query(
      `CREATE TEMP TABLE mail_log_import (line int, "messageId" text, "sentAt" timestamptz, sender text, visible text[], hidden text[], recipients int, entries int) ON COMMIT DROP`,
    );
    const copy = client.query(
      copyFrom(
        `COPY mail_log_import (line, "messageId", "sentAt", sender, visible, hidden, recipients, entries) FROM STDIN`,
      ),
    );
    copy.on('error', () => {});
    let lines = 0;
    let wellFormed = 0;
    let malformed = 0;
    const malformedLines: MalformedLine[] = [];
    try {
      for await (const entry of readMailLog(source, format)) {
        lines++;
        if ('error' in entry) {
          malformed++;
          if (malformedLines.length < MALFORMED_NAMED) malformedLines.push({ line: entry.line, message: entry.error });
          continue;
        }
        wellFormed++;
        const row = `${entry.line}\t${copyText(entry.messageId)}\t${entry.sentAt ? entry.sentAt.toISOString() : '\\N'}\t${copyText(entry.sender)}\t${arrayText(entry.visible)}\t${arrayText(entry.hidden)}\t${entry.visible.length + entry.hidden.length}\t${entry.entries}\n`;
        if (!copy.write(row)) await once(copy, 'drain');
      }
      copy.end();
      await once(copy, 'finish');
    } catch (error) {
      copy.destroy();
      throw error;
    }
    if (wellFormed === 0) {
      const first = malformedLines[0];
      throw new Invalid(
        first
          ? `The log has no message that could be read. Line ${first.line}: ${first.message}. Nothing was imported.`
          : 'The log has no messages. Nothing was imported.',
        { malformedLines },
        'empty_import',
      );
    }
    // The log is in; the rest is quick, and one import at a time per incident from here (the lock is
    // not held while a slow upload arrives).
    await lockBlastRadius(client, incident.id);
    const {
      rows: [now],
    } = await client.query<{ status: string }>(`SELECT status FROM "Incident" WHERE id = $1`, [incident.id]);
    if (now.status === 'CLOSED') throw CLOSED(incident.reference);
    const {
      rows: [log],
    } = await client.query<{ id: string }>(
      `INSERT INTO "MailLog" (id, "incidentId", name, format, lines, messages, duplicates, malformed, "malformedSample", recipients, "importedById", "importedBy")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 0, 0, 0, '[]', 0, $5::uuid, $6) RETURNING id`,
      [incident.id, name, format, lines, actorStaffId(actor), actorLabel(actor)],
    );
    // Repeats of a message id, in this log or an earlier one, add nothing: the first line wins (the
    // temporary table is read in the order it was written, line by line).
    const {
      rows: [added],
    } = await client.query<{ messages: number; recipients: string }>(
      `WITH added AS (
         INSERT INTO "MailLogMessage" ("incidentId", "logId", line, "messageId", "sentAt", sender, visible, hidden, recipients, entries)
         SELECT $1, $2, line, "messageId", "sentAt", sender, visible, hidden, recipients, entries FROM mail_log_import
         ON CONFLICT ("incidentId", "messageId") DO NOTHING
         RETURNING entries)
       SELECT count(*)::int AS messages, coalesce(sum(entries), 0)::bigint AS recipients FROM added`,
      [incident.id, log.id],
    );
    // A repeat with other recipients is not the same message: a tool that reused an id. It is not
    // imported, and it is named, so no recipient disappears without a word. (Only looked for when
    // something was skipped: a first import of a log with unique ids pays nothing.)
    let conflicts: MalformedLine[] = [];
    let conflicting = 0;
    if (added.messages < wellFormed) {
      const differs = `(SELECT array_agg(x ORDER BY x) FROM unnest(i.visible) x) IS DISTINCT FROM (SELECT array_agg(x ORDER BY x) FROM unnest(m.visible) x)
                    OR (SELECT array_agg(x ORDER BY x) FROM unnest(i.hidden) x) IS DISTINCT FROM (SELECT array_agg(x ORDER BY x) FROM unnest(m.hidden) x)`;
      const { rows } = await client.query<{
        line: number;
        messageId: string;
        first: number;
        log: string;
        total: number;
      }>(
        `SELECT i.line, i."messageId", m.line AS first, l.name AS log, count(*) OVER ()::int AS total
           FROM mail_log_import i
           JOIN "MailLogMessage" m ON m."incidentId" = $1 AND m."messageId" = i."messageId"
           JOIN "MailLog" l ON l.id = m."logId"
          WHERE NOT (m."logId" = $2 AND m.line = i.line) AND (${differs})
          ORDER BY i.line LIMIT ${MALFORMED_NAMED}`,
        [incident.id, log.id],
      );
      conflicting = rows[0]?.total ?? 0;
      conflicts = rows.map((r) => ({
        line: r.line,
        message: `messageId ${r.messageId} was already imported (line ${r.first} of ${r.log}) with other recipients: a reused id; this line is not imported`,
      }));
    }
    const duplicates = wellFormed - added.messages - conflicting;
    malformed += conflicting;
    const named = [...malformedLines, ...conflicts].sort((a, b) => a.line - b.line).slice(0, MALFORMED_NAMED);
    await client.query(
      `UPDATE "MailLog" SET messages = $2, duplicates = $3, recipients = $4, malformed = $5, "malformedSample" = $6::jsonb WHERE id = $1`,
      [log.id, added.messages, duplicates, added.recipients, malformed, JSON.stringify(named)],
    );
    const figures =
      (added.messages === 0 ? await unchangedExposure(client, incident.id, malformed) : null) ??
      (await analyseExposure(client, incident.id, malformed));
    const data = {
      log: log.id,
      name,
      format,
      lines,
      messages: added.messages,
      duplicates,
      malformed,
      recipients: Number(added.recipients),
      exposedAddresses: figures.exposedAddresses,
      exposedCustomers: figures.exposedCustomers,
    };
    const message = `Mail log "${name}" imported: ${added.messages.toLocaleString('en-US')} message(s) added${
      duplicates ? `, ${duplicates.toLocaleString('en-US')} already imported` : ''
    }${malformed ? `, ${malformed.toLocaleString('en-US')} malformed line(s) skipped` : ''}; ${figures.exposedAddresses.toLocaleString('en-US')} address(es) exposed, ${figures.exposedCustomers.toLocaleString('en-US')} of them customers`;
    await appendTimeline(client, actor, incident.id, { action: 'incident.mail_log_imported', message, data });
    await recordAuditPg(client, actor, {
      action: 'incident.mail_log_imported',
      targetType: 'Incident',
      targetId: incident.id,
      data: { reference: incident.reference, ...data },
    });
    await client.query('COMMIT');
    return {
      logId: log.id,
      lines,
      messages: added.messages,
      duplicates,
      malformed,
      malformedLines: named,
      recipients: Number(added.recipients),
      figures,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
