// Where the database is: DATABASE_URL if set, else the embedded PostgreSQL under the data dir
// (started here if it is not already running). Shared by the launcher, the CLI and tooling.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';

export const ROOT = resolve(import.meta.dirname, '../..');
export const dataDir = () => resolve(process.env.FIREBREAK_DATA_DIR ?? join(ROOT, '.data'));
export const embeddedPort = () => Number(process.env.EMBEDDED_PG_PORT ?? 54329);
export const APP_DATABASE = 'firebreak';

export type Database = { url: string; embedded: boolean; stop(): Promise<void> };

export async function openDatabase(options: { log?: (line: string) => void; database?: string } = {}): Promise<Database> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const database = options.database ?? APP_DATABASE;
  const running = runningEmbeddedUrl(database);
  if (running && (await reachable(running))) return { url: running, embedded: true, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: dataDir(), port: embeddedPort(), log: options.log });
  await createDatabaseIfMissing(server.adminUrl, database);
  return { url: server.urlFor(database), embedded: true, stop: () => server.stop() };
}

/** The URL of an embedded server another process (e.g. `npm start`) is already running. */
function runningEmbeddedUrl(database: string): string | null {
  const pidFile = join(dataDir(), 'pg', 'postmaster.pid');
  const secretFile = join(dataDir(), 'embedded-postgres.json');
  if (!existsSync(pidFile) || !existsSync(secretFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null;
  }
  const { user, password } = JSON.parse(readFileSync(secretFile, 'utf8'));
  return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/${database}`;
}

async function reachable(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createDatabaseIfMissing(adminUrl: string, name: string, template?: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
