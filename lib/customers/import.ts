// Bulk import of the customer directory from CSV or JSON Lines, streamed: rows are validated as
// they arrive and copied (COPY FROM STDIN) into a temporary table, then upserted by externalId in
// the same transaction. A bad row stops the import, names its line, and nothing is applied.
import 'server-only';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { from as copyFrom } from 'pg-copy-streams';
import { z } from 'zod';
import { recordAuditPg } from '@/lib/audit';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { requireDatabaseUrl } from '@/lib/config';
import { createPgClient } from '@/lib/db/pg';
import { Conflict, type ErrorCodeOf, Forbidden, Invalid } from '@/lib/errors';
import { badText, parseInput } from '@/lib/validation';
import { AUDITED_CUSTOMERS } from './credential-changes';
import { type CustomerRow, customerRow, IMPORT_COLUMNS } from './schema';

export type ImportFormat = 'csv' | 'jsonl';
export type CredentialChangeSummary = { requestId: string; customers: number; email: number; passwordHash: number };
export type ImportResult = {
  rows: number;
  created: number;
  updated: number;
  credentialChanges: CredentialChangeSummary | null;
};

/**
 * Without `requestCredentialChanges` an import that would change an existing customer's email or
 * password hash is refused. With it (and a reason), those changes wait for a second person's
 * approval (lib/customers/credential-changes.ts) while the rest of the import applies.
 */
export const importOptions = z.object({
  requestCredentialChanges: z
    .object({ reason: z.string().trim().min(3, 'Say why these credentials change (at least 3 characters).').max(500) })
    .optional(),
});
export type ImportOptions = z.input<typeof importOptions>;

export class ImportRowError extends Invalid {
  constructor(
    readonly line: number,
    message: string,
    code: ErrorCodeOf<400> = 'invalid_row',
  ) {
    super(`Line ${line}: ${message}. Nothing was imported.`, { line }, code);
  }
}

/** Changed customers named in an import's audit event; beyond this, the event says there were more. */
const AUDITED_CHANGES = 1000;

/** Records with their line numbers, from a CSV (with a header row) or JSON Lines source. */
async function* records(source: Readable, format: ImportFormat): AsyncGenerator<{ line: number; value: unknown }> {
  if (format === 'jsonl') {
    let line = 0;
    for await (const text of createInterface({ input: source, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      try {
        yield { line, value: JSON.parse(text) };
      } catch {
        throw new ImportRowError(line, 'not valid JSON');
      }
    }
    return;
  }
  const parser = source.pipe(
    parse({ columns: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: false }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, value: record };
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    throw new ImportRowError(line, `CSV: ${(error as Error).message}`);
  }
}

const csvField = (value: string | boolean | undefined) => {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export async function importCustomers(
  actor: Actor,
  source: Readable,
  format: ImportFormat,
  rawOptions: ImportOptions = {},
): Promise<ImportResult> {
  assertCan(actor, 'customers.import');
  const options = parseInput(importOptions, rawOptions);
  if (options.requestCredentialChanges && actor.kind !== 'staff') {
    // The CLI acts as the system, not as a person: its request would have no requester for the
    // two-person rule to tell apart from the approver.
    throw new Forbidden(
      'Credential changes are requested by a person, in the console or with their API token, so that a second person can approve them.',
      'requester_required',
    );
  }
  const client = createPgClient('customer import', { connectionString: requireDatabaseUrl() });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE customer_import (line int, "externalId" text, email text, "passwordHash" text, "twoFactorEnabled" bool, "hasBalance" bool, status text) ON COMMIT DROP`,
    );
    const copy = client.query(
      copyFrom(
        `COPY customer_import (line, ${IMPORT_COLUMNS.map((c) => `"${c}"`).join(', ')}) FROM STDIN (FORMAT csv)`,
      ),
    );
    // Cancelling the COPY (on a bad row) makes the stream emit the server's "COPY cancelled": expected.
    copy.on('error', () => {});
    let rows = 0;
    try {
      for await (const { line, value } of records(source, format)) {
        const bad = badText(value);
        if (bad) throw new ImportRowError(line, `${bad.path || 'row'}: ${bad.message}`);
        const parsed = customerRow.safeParse(value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ImportRowError(line, `${issue.path.join('.') || 'row'}: ${issue.message}`);
        }
        const row: CustomerRow = parsed.data;
        const text = `${[
          line,
          row.externalId,
          row.email,
          row.passwordHash,
          row.twoFactorEnabled,
          row.hasBalance,
          row.status,
        ]
          .map((v) => csvField(v as string))
          .join(',')}\n`;
        if (!copy.write(text)) await once(copy, 'drain');
        rows++;
      }
      copy.end();
      await once(copy, 'finish');
    } catch (error) {
      copy.destroy();
      throw error;
    }
    if (rows === 0)
      throw new Invalid('The file has no customer rows. Nothing was imported.', undefined, 'empty_import');
    const duplicate = await client.query<{ externalId: string; first: number; second: number }>(
      `SELECT "externalId", min(line) AS first, max(line) AS second FROM customer_import GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 LIMIT 1`,
    );
    if (duplicate.rows[0]) {
      const d = duplicate.rows[0];
      throw new ImportRowError(d.second, `externalId ${d.externalId} appears again (first on line ${d.first})`);
    }
    // One customer per address: not twice in the file, and not another customer's.
    const {
      rows: [twice],
    } = await client.query<{ email: string; first: number; second: number }>(
      `SELECT email, min(line) AS first, max(line) AS second FROM customer_import GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 LIMIT 1`,
    );
    if (twice)
      throw new ImportRowError(
        twice.second,
        `email ${twice.email} appears again (first on line ${twice.first}): one customer per address`,
        'duplicate_email',
      );
    const {
      rows: [taken],
    } = await client.query<{ line: number; email: string; externalId: string }>(
      `SELECT i.line, i.email, c."externalId" FROM customer_import i JOIN "Customer" c ON c.email = i.email
        WHERE c."externalId" <> i."externalId" ORDER BY i.line LIMIT 1`,
    );
    if (taken)
      throw new ImportRowError(
        taken.line,
        `email ${taken.email} belongs to customer ${taken.externalId}: one customer per address`,
        'email_taken',
      );
    // Credentials are not an import's to change on its own: a row that gives an existing customer
    // another email (where the reset mail goes) or sets their password hash hands over the account.
    // Refused, line named — unless the import asks for it, when the changes wait for a second person.
    const credentialDiff = `FROM customer_import i JOIN "Customer" c ON c."externalId" = i."externalId"
       WHERE c.email <> i.email OR (i."passwordHash" IS NOT NULL AND c."passwordHash" IS DISTINCT FROM i."passwordHash")`;
    let credentialChanges: CredentialChangeSummary | null = null;
    if (!options.requestCredentialChanges) {
      const {
        rows: [takeover],
      } = await client.query<{ line: number; externalId: string; field: string }>(
        `SELECT i.line, i."externalId", CASE WHEN c.email <> i.email THEN 'email' ELSE 'passwordHash' END AS field ${credentialDiff} ORDER BY i.line LIMIT 1`,
      );
      if (takeover) {
        throw new ImportRowError(
          takeover.line,
          `would change the ${takeover.field === 'email' ? 'email' : 'password hash'} of existing customer ${takeover.externalId}: an import changes credentials only when asked to, and a second person approves (request credential changes with a reason)`,
          'credential_change_refused',
        );
      }
    } else {
      const {
        rows: [request],
      } = await client.query<{ id: string }>(
        `INSERT INTO "CredentialChangeRequest" (id, reason, "requestedById", "requestedBy", "customerCount", "emailCount", "passwordCount")
         VALUES (gen_random_uuid(), $1, $2::uuid, $3, 0, 0, 0) RETURNING id`,
        [options.requestCredentialChanges.reason, actorStaffId(actor), actorLabel(actor)],
      );
      const {
        rows: [counts],
      } = await client.query<{ customers: number; email: number; passwordHash: number }>(
        `WITH ins AS (
           INSERT INTO "CredentialChange" ("requestId", "customerId", "externalId", line, "oldEmail", "newEmail", "newPasswordHash", "credentialsChangedAt")
           SELECT $1::uuid, c.id, c."externalId", i.line, c.email,
                  CASE WHEN c.email <> i.email THEN i.email END,
                  CASE WHEN i."passwordHash" IS NOT NULL AND c."passwordHash" IS DISTINCT FROM i."passwordHash" THEN i."passwordHash" END,
                  c."credentialsChangedAt"
           ${credentialDiff}
           RETURNING "newEmail", "newPasswordHash")
         SELECT count(*)::int AS customers, count("newEmail")::int AS email, count("newPasswordHash")::int AS "passwordHash" FROM ins`,
        [request.id],
      );
      if (counts.customers === 0) {
        await client.query(`DELETE FROM "CredentialChangeRequest" WHERE id = $1`, [request.id]);
      } else {
        await client.query(
          `UPDATE "CredentialChangeRequest" SET "customerCount" = $2, "emailCount" = $3, "passwordCount" = $4 WHERE id = $1`,
          [request.id, counts.customers, counts.email, counts.passwordHash],
        );
        credentialChanges = { requestId: request.id, ...counts };
        const { rows: named } = await client.query<{ externalId: string; fields: string[] }>(
          `SELECT "externalId", array_remove(ARRAY[CASE WHEN "newEmail" IS NOT NULL THEN 'email' END, CASE WHEN "newPasswordHash" IS NOT NULL THEN 'passwordHash' END], NULL) AS fields
             FROM "CredentialChange" WHERE "requestId" = $1 ORDER BY line LIMIT ${AUDITED_CUSTOMERS}`,
          [request.id],
        );
        await recordAuditPg(client, actor, {
          action: 'customers.credential_change_requested',
          targetType: 'CredentialChangeRequest',
          targetId: request.id,
          data: {
            reason: options.requestCredentialChanges.reason,
            ...counts,
            customers: named,
            moreCustomers: counts.customers > named.length,
          },
        });
      }
    }
    // What changes, field by field, for the audit: counts, and the customers (up to 1,000 named).
    const { rows: changes } = await client.query<{ externalId: string; fields: string[] }>(
      `SELECT i."externalId", array_remove(ARRAY[
                CASE WHEN c."twoFactorEnabled" <> i."twoFactorEnabled" THEN 'twoFactorEnabled' END,
                CASE WHEN c."hasBalance" <> i."hasBalance" THEN 'hasBalance' END,
                CASE WHEN c.status::text <> i.status THEN 'status' END], NULL) AS fields
         FROM customer_import i JOIN "Customer" c ON c."externalId" = i."externalId"
        WHERE c."twoFactorEnabled" <> i."twoFactorEnabled" OR c."hasBalance" <> i."hasBalance" OR c.status::text <> i.status
        ORDER BY i.line LIMIT ${AUDITED_CHANGES + 1}`,
    );
    const {
      rows: [counts],
    } = await client.query<{
      created: number;
      updated: number;
      twoFactorEnabled: number;
      hasBalance: number;
      status: number;
    }>(
      `WITH before AS (
         SELECT c."externalId", c."twoFactorEnabled", c."hasBalance", c.status::text AS status FROM "Customer" c JOIN customer_import i USING ("externalId")),
       up AS (
         INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "twoFactorEnabled", "hasBalance", status)
         SELECT gen_random_uuid(), "externalId", email, "passwordHash", "twoFactorEnabled", "hasBalance", status::"CustomerStatus" FROM customer_import
         ON CONFLICT ("externalId") DO UPDATE SET
           "twoFactorEnabled" = EXCLUDED."twoFactorEnabled",
           "hasBalance" = EXCLUDED."hasBalance",
           status = EXCLUDED.status
         RETURNING "externalId", "twoFactorEnabled", "hasBalance", status::text AS status, (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE up.inserted)::int AS created, count(*) FILTER (WHERE NOT up.inserted)::int AS updated,
              count(*) FILTER (WHERE b."twoFactorEnabled" <> up."twoFactorEnabled")::int AS "twoFactorEnabled",
              count(*) FILTER (WHERE b."hasBalance" <> up."hasBalance")::int AS "hasBalance",
              count(*) FILTER (WHERE b.status <> up.status)::int AS status
         FROM up LEFT JOIN before b USING ("externalId")`,
    );
    const { created, updated, ...changed } = counts;
    await recordAuditPg(client, actor, {
      action: 'customers.imported',
      targetType: 'Customer',
      data: {
        format,
        rows,
        created,
        updated,
        changed,
        customers: changes.slice(0, AUDITED_CHANGES),
        moreChanged: changes.length > AUDITED_CHANGES,
        credentialChangeRequest: credentialChanges?.requestId ?? null,
      },
    });
    await client.query('COMMIT');
    return { rows, created, updated, credentialChanges };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if ((error as { constraint?: string }).constraint === 'Customer_email_key') {
      throw new Conflict(
        'An address in the file was just given to another customer by a concurrent import; nothing was imported. Import the file again.',
        'concurrent_change',
      );
    }
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

export function formatFromName(name: string, contentType?: string | null): ImportFormat {
  if (/\.(jsonl|ndjson)$/i.test(name) || /ndjson|jsonl|json-lines/i.test(contentType ?? '')) return 'jsonl';
  if (/\.csv$/i.test(name) || /csv/i.test(contentType ?? '')) return 'csv';
  throw new Invalid(
    'Send CSV (text/csv, .csv) or JSON Lines (application/x-ndjson, .jsonl).',
    undefined,
    'unsupported_format',
  );
}
