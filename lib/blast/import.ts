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
import { appendTimeline } from '@/lib/incidents/timeline';
import { parseInput } from '@/lib/validation';
import { analyseExposure, type ExposureFigures } from './analysis';
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

/** The incident by id or reference, locked for this transaction's blast-radius work. */
export async function lockIncidentForBlast(client: Queryable, idOrReference: string) {
  const { rows } = await client.query(
    `SELECT id, reference, status FROM "Incident" WHERE reference = $1 OR id::text = $1`,
    [idOrReference],
  );
  const incident = rows[0] as { id: string; reference: string; status: string } | undefined;
  if (!incident) throw new NotFound(`No incident ${idOrReference}.`);
  // One import or marking at a time per incident: each analysis sees every message before it.
  await client.query(`SELECT 1 FROM pg_advisory_xact_lock(hashtext('blast:' || $1))`, [incident.id]);
  return incident;
}

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
    const incident = await lockIncidentForBlast(client, incidentIdOrRef);
    if (incident.status === 'CLOSED')
      throw new Conflict(`${incident.reference} is closed: reopen it to import a mail log.`, 'incident_closed');
    await client.query(
      `CREATE TEMP TABLE mail_log_import (line int, "messageId" text, "sentAt" timestamptz, sender text, visible text[], hidden text[], entries int) ON COMMIT DROP`,
    );
    const copy = client.query(
      copyFrom(`COPY mail_log_import (line, "messageId", "sentAt", sender, visible, hidden, entries) FROM STDIN`),
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
        const row = `${entry.line}\t${copyText(entry.messageId)}\t${entry.sentAt ? entry.sentAt.toISOString() : '\\N'}\t${copyText(entry.sender)}\t${arrayText(entry.visible)}\t${arrayText(entry.hidden)}\t${entry.entries}\n`;
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
    const {
      rows: [log],
    } = await client.query<{ id: string }>(
      `INSERT INTO "MailLog" (id, "incidentId", name, format, lines, messages, duplicates, malformed, "malformedSample", recipients, "importedById", "importedBy")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 0, 0, $5, $6::jsonb, 0, $7::uuid, $8) RETURNING id`,
      [
        incident.id,
        name,
        format,
        lines,
        malformed,
        JSON.stringify(malformedLines),
        actorStaffId(actor),
        actorLabel(actor),
      ],
    );
    // Repeats of a message id, in this log or an earlier one, add nothing (the first line wins).
    const {
      rows: [added],
    } = await client.query<{ messages: number; recipients: string }>(
      `WITH added AS (
         INSERT INTO "MailLogMessage" ("incidentId", "logId", "messageId", "sentAt", sender, visible, hidden, entries)
         SELECT $1, $2, "messageId", "sentAt", sender, visible, hidden, entries FROM mail_log_import
         ON CONFLICT ("incidentId", "messageId") DO NOTHING
         RETURNING entries)
       SELECT count(*)::int AS messages, coalesce(sum(entries), 0)::bigint AS recipients FROM added`,
      [incident.id, log.id],
    );
    const duplicates = wellFormed - added.messages;
    await client.query(`UPDATE "MailLog" SET messages = $2, duplicates = $3, recipients = $4 WHERE id = $1`, [
      log.id,
      added.messages,
      duplicates,
      added.recipients,
    ]);
    const figures = await analyseExposure(client, incident.id);
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
      malformedLines,
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
