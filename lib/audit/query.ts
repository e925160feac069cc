// Reading the audit log: filtered pages for the console, and a JSON Lines / CSV export for
// regulators (GET /api/v1/audit).
import 'server-only';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { db, type Prisma } from '@/lib/db';
import { parseInput } from '@/lib/validation';
import type { StoredEvent } from './chain';

export const auditFilter = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(254).optional(),
  target: z.string().trim().max(100).optional(),
  // seq is a bigint column: a cursor past its range is a bad request, not a database error.
  after: z.coerce.bigint().nonnegative().max(9_223_372_036_854_775_807n).optional(),
  before: z.coerce.bigint().positive().max(9_223_372_036_854_775_807n).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditFilter = z.input<typeof auditFilter>;

/** An event as the API and the console show it (its time as ISO 8601 text). */
export type AuditRow = Omit<StoredEvent, 'at'> & { at: string };

function where(filter: z.output<typeof auditFilter>): Prisma.AuditEventWhereInput {
  return {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actor ? { actorLabel: { contains: filter.actor, mode: 'insensitive' } } : {}),
    ...(filter.target ? { OR: [{ targetId: filter.target }, { targetType: filter.target }] } : {}),
    ...(filter.after !== undefined || filter.before !== undefined
      ? {
          seq: {
            ...(filter.after !== undefined ? { gt: filter.after } : {}),
            ...(filter.before !== undefined ? { lt: filter.before } : {}),
          },
        }
      : {}),
  };
}

/** Newest first (console) or oldest first after a cursor (export / sync with `after`). */
export async function listAuditEvents(
  actor: Actor,
  raw: AuditFilter,
  order: 'newest' | 'oldest' = 'newest',
): Promise<AuditRow[]> {
  assertCan(actor, 'audit.read');
  const filter = parseInput(auditFilter, raw);
  const rows = await db.auditEvent.findMany({
    where: where(filter),
    orderBy: { seq: order === 'newest' ? 'desc' : 'asc' },
    take: filter.limit,
  });
  return rows.map((row) => ({ ...row, seq: row.seq.toString(), at: row.at.toISOString() }));
}

export async function listAuditActions(actor: Actor): Promise<string[]> {
  assertCan(actor, 'audit.read');
  const rows = await db.auditEvent.findMany({
    distinct: ['action'],
    select: { action: true },
    orderBy: { action: 'asc' },
  });
  return rows.map((row) => row.action);
}

export async function latestVerification() {
  const row = await db.auditVerification.findFirst({ orderBy: { at: 'desc' } });
  return row && { ...row, firstBadSeq: row.firstBadSeq?.toString() ?? null };
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'actorType',
  'actorId',
  'actorLabel',
  'action',
  'targetType',
  'targetId',
  'data',
  'prevHash',
  'hash',
] as const;

/**
 * One CSV line (the header for `null`). Cells that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or CR — an incident title or a customer-supplied value can) are prefixed
 * with a quote: a regulator opening the export must not execute what an attacker typed.
 */
export function toCsvLine(row: AuditRow | null): string {
  const cells = row
    ? CSV_COLUMNS.map((column) => {
        const value = row[column];
        return value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      })
    : [...CSV_COLUMNS];
  return stringify([cells], { escape_formulas: true });
}
