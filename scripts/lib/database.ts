// Where the database is: DATABASE_URL if set, else the embedded PostgreSQL under the data dir
// (started here if it is not already running). Shared by the launcher, the CLI and tooling.
// Two connection strings: `url` for the web app, worker and CLI (a least-privilege role, see
// lib/db/roles.ts) and `ownerUrl` for migrations (DATABASE_OWNER_URL; on the embedded default the
// cluster's superuser, while the app signs in as `firebreak_app` with a password kept on disk).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { ensureLoginRole, userOf } from '@/lib/db/roles';

export const ROOT = resolve(import.meta.dirname, '../..');
export const dataDir = () => resolve(process.env.FIREBREAK_DATA_DIR ?? join(ROOT, '.data'));
export const embeddedPort = () => Number(process.env.EMBEDDED_PG_PORT ?? 54329);
export const APP_DATABASE = 'firebreak';

export type Database = {
  /** What the web app, worker and CLI connect with. */
  url: string;
  /** What migrations connect with (the schema owner). */
  ownerUrl: string;
  /** The role `url` signs in as, when it is not the owner: migrations grant it its privileges. */
  appRole?: string;
  embedded: boolean;
  stop(): Promise<void>;
};

/**
 * The embedded default keeps its audit signing key and the worker's checkpoint file in the data
 * dir, outside the database (an external deployment sets AUDIT_SIGNING_KEY_FILE and
 * AUDIT_CHECKPOINT_FILE itself; README, "Audit log").
 */
export function embeddedAuditFiles() {
  return { keyFile: join(dataDir(), 'audit-signing-key.pem'), checkpointFile: join(dataDir(), 'audit-checkpoints.jsonl') };
}

/** The embedded default's least-privilege role. */
export const EMBEDDED_APP_ROLE = 'firebreak_app';

export async function openDatabase(options: { log?: (line: string) => void; database?: string } = {}): Promise<Database> {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    const ownerUrl = process.env.DATABASE_OWNER_URL || url;
    return { url, ownerUrl, appRole: userOf(url), embedded: false, stop: async () => {} };
  }
  const database = options.database ?? APP_DATABASE;
  const running = runningEmbeddedUrl(database);
  if (running && (await reachable(running))) {
    return { url: appUrl(running), ownerUrl: running, appRole: EMBEDDED_APP_ROLE, embedded: true, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: dataDir(), port: embeddedPort(), log: options.log });
  await createDatabaseIfMissing(server.adminUrl, database);
  const ownerUrl = server.urlFor(database);
  await ensureLoginRole(server.adminUrl, EMBEDDED_APP_ROLE, appPassword());
  return { url: appUrl(ownerUrl), ownerUrl, appRole: EMBEDDED_APP_ROLE, embedded: true, stop: () => server.stop() };
}

/** The app role's password, generated once and kept beside the cluster's (mode 0600). */
function appPassword() {
  const file = join(dataDir(), 'app-role.json');
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ user: EMBEDDED_APP_ROLE, password: randomBytes(18).toString('base64url') }), { mode: 0o600 });
  return JSON.parse(readFileSync(file, 'utf8')).password as string;
}

/** The owner's URL with the app role's credentials. */
function appUrl(ownerUrl: string) {
  const url = new URL(ownerUrl);
  url.username = EMBEDDED_APP_ROLE;
  url.password = encodeURIComponent(appPassword());
  return url.toString();
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
