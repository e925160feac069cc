// Drift test: the committed migrations, applied in order, must produce exactly the database that
// prisma/schema.prisma describes (Prisma's own `migrate diff --from-empty` script of it).
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { diffSchemas, readSchema } from '../../scripts/lib/prisma6';

const admin = inject('adminUrl');
const name = `drift_${process.pid}`;
const url = new URL(admin);
url.pathname = `/${name}`;

async function query(connectionString: string, text: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
afterAll(() => query(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

/** Everything Prisma's schema describes: tables, columns, types, defaults, indexes, constraints, enums.
 *  Hand-written additions Prisma cannot express (CHECK constraints, triggers) are not compared. */
async function catalog(connectionString: string) {
  const q = (text: string) => query(connectionString, text);
  return {
    columns:
      await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, datetime_precision
                        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`),
    indexes: await q(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
    ),
    constraints:
      await q(`SELECT conrelid::regclass::text AS table, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
                              AND contype <> 'c' -- CHECK constraints are hand-written SQL: Prisma's schema cannot express them
                            ORDER BY 1, 2`),
    enums: await q(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY 1 ORDER BY 1`,
    ),
  };
}

it('the migrations produce exactly the database prisma/schema.prisma describes', async () => {
  const fromMigrations = await catalog(process.env.DATABASE_URL!);
  await query(admin, `CREATE DATABASE ${name}`);
  const script = await diffSchemas(null, readSchema(), url.toString());
  await query(url.toString(), script);
  const fromSchema = await catalog(url.toString());
  expect(fromMigrations.columns.length).toBeGreaterThan(10);
  expect(fromMigrations).toEqual(fromSchema);
}, 120_000);
