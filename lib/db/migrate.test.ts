import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, readMigrations } from '@/lib/db/migrate';
import { sql } from '../../test/sql';

// A second, empty database for runs that must start from nothing.
const admin = inject('adminUrl');
const scratchName = `migrate_${process.pid}`;
const scratch = new URL(admin);
scratch.pathname = `/${scratchName}`;
async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(text).finally(() => client.end());
}
afterAll(() => adminQuery(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`));

function migrationsDir(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'fb-migrations-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), text);
  }
  return dir;
}

describe('migration runner', () => {
  it("records each migration in Prisma's _prisma_migrations with Prisma's checksum", async () => {
    const rows = await sql<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const text = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(text).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count, files[i].name).toBe(1);
    }
  });

  it('is idempotent: a second run applies nothing', async () => {
    expect(await migrate(process.env.DATABASE_URL!)).toEqual([]);
  });

  it('refuses an applied migration whose file was edited', async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${scratchName}`);
    const dir = migrationsDir({ '001_a': 'CREATE TABLE a (id int);' });
    expect(await migrate(scratch.toString(), { dir })).toEqual(['001_a']);
    writeFileSync(join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id bigint);');
    await expect(migrate(scratch.toString(), { dir })).rejects.toThrow(/001_a was modified after it was applied/);
  });

  it('a failing migration leaves nothing behind, and the ones before it stay applied', async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${scratchName}`);
    const dir = migrationsDir({
      '001_ok': 'CREATE TABLE ok (id int);',
      '002_bad': 'CREATE TABLE half (id int); SELECT * FROM no_such_table;',
      '003_later': 'CREATE TABLE later (id int);',
    });
    await expect(migrate(scratch.toString(), { dir })).rejects.toThrow(/002_bad failed/);
    const client = new pg.Client({ connectionString: scratch.toString() });
    await client.connect();
    const tables = (
      await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
    ).rows.map((r) => r.tablename);
    const applied = (await client.query('SELECT migration_name FROM "_prisma_migrations"')).rows.map(
      (r) => r.migration_name,
    );
    await client.end();
    expect(tables).toEqual(['_prisma_migrations', 'ok']);
    expect(applied).toEqual(['001_ok']);
  });
});
