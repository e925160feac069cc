// npm run db:migration -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the schema as committed
// (git HEAD) to prisma/schema.prisma as it is now. The drift test (lib/db/drift.test.ts) then
// proves that all migrations together produce exactly the current schema.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { MIGRATIONS_DIR, readMigrations } from '@/lib/db/migrate';
import { freePort } from '../test/ports';
import { diffSchemas, readSchema } from './lib/prisma6';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in snake_case>');
  process.exit(2);
}

function committedSchema(): string | null {
  if (readMigrations().length === 0) return null;
  try {
    return execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

const db = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({
      dataDir: join(process.cwd(), '.data/tooling'),
      port: await freePort(),
      durable: false,
    });
try {
  const sql = await diffSchemas(committedSchema(), readSchema(), process.env.DATABASE_URL ?? db!.adminUrl);
  if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
    console.log('The schema has no changes against git HEAD; no migration written.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    console.log(
      `wrote ${join(dir, 'migration.sql')}; review it, then run the drift test (npm run test:unit -- drift).`,
    );
  }
} finally {
  await db?.stop();
}
