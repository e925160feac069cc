// Runs Prisma 6.19's CLI (npm alias `prisma6`) with its WebAssembly schema engine, which works
// offline, for the one job we need it for: `migrate diff` between two datamodels, producing the SQL
// of a new migration. Prisma 7 stays the runtime client. See README, "Database migrations".
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'node_modules/prisma6/build/index.js');

// Prisma 6 requires `url` in the datasource block; Prisma 7 forbids it. Add it on the copy.
function asPrisma6Schema(schema: string) {
  return schema.replace(/datasource\s+db\s*\{/, (m) => `${m}\n  url = env("DATABASE_URL")`);
}

const CONFIG = `
import { defineConfig } from 'prisma6/config';
import { PrismaPg } from '@prisma/adapter-pg';
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'to.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 100 }),
} as never);
`;

/**
 * SQL that takes a database from `fromSchema` (null: empty) to `toSchema` (schema file texts).
 * The engine insists on a reachable database even for a datamodel-to-datamodel diff, so give it one.
 */
export async function diffSchemas(fromSchema: string | null, toSchema: string, databaseUrl: string) {
  const dir = mkdtempSync(join(ROOT, 'node_modules/.cache-firebreak-prisma6-'));
  try {
    writeFileSync(join(dir, 'prisma.config.ts'), CONFIG);
    writeFileSync(join(dir, 'to.prisma'), asPrisma6Schema(toSchema));
    const from = fromSchema === null ? ['--from-empty'] : ['--from-schema-datamodel', 'from.prisma'];
    if (fromSchema !== null) writeFileSync(join(dir, 'from.prisma'), asPrisma6Schema(fromSchema));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'migrate', 'diff', ...from, '--to-schema-datamodel', 'to.prisma', '--script'],
      {
        cwd: dir,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          // Neither native engine is used with engine: 'js'; pointing at an existing file stops
          // the CLI from trying to download them.
          PRISMA_QUERY_ENGINE_LIBRARY: '/bin/false',
          PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          CHECKPOINT_DISABLE: '1',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readSchema(path = join(ROOT, 'prisma/schema.prisma')) {
  return readFileSync(path, 'utf8');
}
