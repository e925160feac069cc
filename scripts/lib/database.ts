// Where the database is: DATABASE_URL if set, else the embedded PostgreSQL under the data dir
// (started here if it is not already running). Shared by the launcher, the CLI and tooling.
// Two connection strings: `url` for the web app, worker and CLI (a least-privilege role, see
// lib/db/roles.ts) and `ownerUrl` for migrations (DATABASE_OWNER_URL). The embedded default uses
// three roles: its superuser only creates the others and the database at start; `firebreak_owner`
// (no superuser: it cannot read or write the server's files, such as the audit signing key
// beside the cluster) owns the schema and migrates; `firebreak_app` runs everything else. Their
// passwords are kept in the data dir (mode 0600).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { ensureLoginRole, ensureOwnership, userOf } from '@/lib/db/roles';

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
  return {
    keyFile: join(dataDir(), 'audit-signing-key.pem'),
    checkpointFile: join(dataDir(), 'audit-checkpoints.jsonl'),
  };
}

/** The embedded default's schema owner (not a superuser) and least-privilege app role. */
export const EMBEDDED_OWNER_ROLE = 'firebreak_owner';
export const EMBEDDED_APP_ROLE = 'firebreak_app';

export async function openDatabase(
  options: { log?: (line: string) => void; database?: string } = {},
): Promise<Database> {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    const ownerUrl = process.env.DATABASE_OWNER_URL || url;
    return { url, ownerUrl, appRole: userOf(url), embedded: false, stop: async () => {} };
  }
  const database = options.database ?? APP_DATABASE;
  const running = runningEmbeddedUrl(database);
  if (running && (await reachable(running))) {
    return {
      url: asRole(running, EMBEDDED_APP_ROLE),
      ownerUrl: asRole(running, EMBEDDED_OWNER_ROLE),
      appRole: EMBEDDED_APP_ROLE,
      embedded: true,
      stop: async () => {},
    };
  }
  const server = await startEmbeddedPostgres({ dataDir: dataDir(), port: embeddedPort(), log: options.log });
  await createDatabaseIfMissing(server.adminUrl, database);
  await ensureLoginRole(server.adminUrl, EMBEDDED_OWNER_ROLE, rolePassword(EMBEDDED_OWNER_ROLE));
  await ensureLoginRole(server.adminUrl, EMBEDDED_APP_ROLE, rolePassword(EMBEDDED_APP_ROLE));
  // The owner owns the database and everything in it (also what a superuser made before it existed).
  await ensureOwnership(server.urlFor(database), database, EMBEDDED_OWNER_ROLE);
  const superuserUrl = server.urlFor(database);
  return {
    url: asRole(superuserUrl, EMBEDDED_APP_ROLE),
    ownerUrl: asRole(superuserUrl, EMBEDDED_OWNER_ROLE),
    appRole: EMBEDDED_APP_ROLE,
    embedded: true,
    stop: () => server.stop(),
  };
}

/** A role's password, generated once and kept beside the cluster's (mode 0600). */
function rolePassword(role: string) {
  const file = join(dataDir(), 'db-roles.json');
  const roles: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!roles[role]) {
    roles[role] = randomBytes(18).toString('base64url');
    writeFileSync(file, JSON.stringify(roles), { mode: 0o600 });
  }
  return roles[role];
}

/** The same server and database, signed in as `role`. */
function asRole(url: string, role: string) {
  const result = new URL(url);
  result.username = role;
  result.password = encodeURIComponent(rolePassword(role));
  return result.toString();
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
      await client.query(
        `CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`,
      );
    }
  } finally {
    await client.end();
  }
}
