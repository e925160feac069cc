// `npm start`: the whole console from one command. With no DATABASE_URL it starts the embedded
// PostgreSQL (data under .data/), applies migrations, seeds demo staff once and prints their
// credentials; then it builds the web app if the build is missing or stale, and runs the worker
// and `next start` side by side until Ctrl-C, when it stops them and the database cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prepareDatabase } from '@/lib/db/prepare';
import { needsBuild } from './lib/build';
import { dataDir, embeddedAuditFiles, openDatabase, ROOT } from './lib/database';

const log = (line: string) => console.log(`[firebreak] ${line}`);
const fail = (message: string): never => {
  console.error(`[firebreak] ${message}`);
  process.exit(1);
};

const production = process.env.FIREBREAK_ENV === 'production' || process.env.NODE_ENV === 'production';
const port = Number(process.env.PORT ?? 3000);
const external = Boolean(process.env.DATABASE_URL);
const children: ChildProcess[] = [];
let stopping = false;
let sink: { stop(): Promise<void> } | null = null;

process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

const database = await openDatabase({
  log: process.env.FIREBREAK_DEBUG ? (line) => console.log(`[postgres] ${line}`) : undefined,
}).catch((error: Error) => fail(error.message));
// From here on Ctrl-C (or a supervisor's SIGTERM) stops the children first, then the database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(0));
log(database.embedded ? `embedded PostgreSQL running (data in ${join(dataDir(), 'pg')})` : 'using DATABASE_URL');
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: '1' };
process.env.DATABASE_URL = database.url;

// Migrations as the schema owner; everything after this runs as the app role (lib/db/roles.ts).
const applied = await prepareDatabase(database.ownerUrl, { log, appRole: database.appRole }).catch((error: Error) =>
  fail(`migration failed: ${error.message}`),
);
if (applied.length === 0) log('database schema is up to date');

env.AUTH_SECRET =
  process.env.AUTH_SECRET ??
  (external
    ? fail('AUTH_SECRET is required with DATABASE_URL (32+ random characters, the same on every web replica).')
    : localSecret());
env.NEXTAUTH_URL = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;

// The worker signs audit checkpoints with a key the database does not hold (lib/audit/checkpoint.ts).
if (!external && !process.env.AUDIT_SIGNING_KEY_FILE) {
  const { keyFile, checkpointFile } = embeddedAuditFiles();
  if (!existsSync(keyFile)) {
    const { generateSigningKey } = await import('@/lib/audit/keys');
    log(`generated the audit signing key ${keyFile} (key id ${generateSigningKey(keyFile).keyId})`);
    if (existsSync(checkpointFile))
      log(
        `note: checkpoints already in ${checkpointFile} were signed with an earlier key; verify them with its .pub (audit verify --public-key OLD.pub NEW.pub)`,
      );
  }
  env.AUDIT_SIGNING_KEY_FILE = keyFile;
  env.AUDIT_CHECKPOINT_FILE ??= checkpointFile;
}

// Published notices are signed (lib/disclosures/signing.ts): the embedded default keeps its key
// beside the cluster, as the audit key; a deployment sets FIREBREAK_SIGNING_KEY.
if (!external && !process.env.FIREBREAK_SIGNING_KEY) {
  const keyFile = join(dataDir(), 'notice-signing-key.pem');
  if (!existsSync(keyFile)) {
    const { generateSigningKey } = await import('@/lib/audit/keys');
    log(`generated the notice signing key ${keyFile} (key id ${generateSigningKey(keyFile).keyId})`);
  }
  env.FIREBREAK_SIGNING_KEY = keyFile;
}

const credentialsFile = join(dataDir(), 'demo-credentials.json');
const demoCustomers = Number(process.env.FIREBREAK_DEMO_CUSTOMERS ?? 50_000);
if (!external || process.env.FIREBREAK_SEED_DEMO === '1') {
  if (production) fail('Refusing to seed demo accounts in production mode (FIREBREAK_ENV/NODE_ENV=production).');
  // The seed signs the demo channels' statements: it reads the key and the public URL the web
  // and worker get.
  for (const name of ['NEXTAUTH_URL', 'FIREBREAK_PUBLIC_URL', 'FIREBREAK_SIGNING_KEY', 'AUTH_SECRET'] as const)
    if (env[name]) process.env[name] = env[name];
  const { seedDemo, seedDemoCustomers } = await import('@/lib/seed/demo');
  const { disconnectDb } = await import('@/lib/db');
  const created = await seedDemo();
  if (created && !external) writeFileSync(credentialsFile, JSON.stringify(created, null, 2), { mode: 0o600 });
  if (created) log(`seeded ${created.length} demo staff accounts`);
  const customers = await seedDemoCustomers(demoCustomers);
  if (customers) log(`seeded ${customers.toLocaleString('en-US')} demo customers with sessions and API keys`);
  await disconnectDb();
}

// Outbound mail: the configured SMTP server, or the embedded sink (recorded in the database and
// listed in the console under Mail → Delivered mail).
if (process.env.SMTP_URL) {
  log('outbound mail goes to SMTP_URL');
} else {
  const { databaseStore, startSmtpSink } = await import('@/lib/mail/sink');
  const store = databaseStore(database.url);
  const port = Number(process.env.SMTP_SINK_PORT ?? 2525);
  const started = await startSmtpSink({ port, store, log }).catch((error: Error) =>
    fail(
      `the local SMTP sink could not listen on 127.0.0.1:${port} (${error.message}); set SMTP_SINK_PORT or SMTP_URL`,
    ),
  );
  sink = {
    stop: async () => {
      await started.stop();
      await store.close?.();
    },
  };
  env.SMTP_URL = `smtp://127.0.0.1:${started.port}`;
  env.SMTP_DELIVERY_CHECK = 'sink';
  log(`local SMTP sink listening on 127.0.0.1:${started.port} (no SMTP_URL set)`);
}

// FIREBREAK_SKIP_BUILD=1: a second launcher beside one that owns the build (the scale-out test)
// must never rebuild it under the first one's running web process.
if (process.env.FIREBREAK_SKIP_BUILD === '1') {
  if (needsBuild(ROOT))
    log('the web app build is older than its sources; FIREBREAK_SKIP_BUILD=1, so it is used as it is');
} else if (needsBuild(ROOT)) {
  log('building the web app (next build)…');
  await run(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], env);
}

const workerArgs = [
  join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
  '--tsconfig',
  join(ROOT, 'tsconfig.node.json'),
  join(ROOT, 'worker/main.ts'),
];
children.push(
  spawnChild('worker', process.execPath, workerArgs, { restart: true }),
  // Next's handler behind a server that answers the public status page from memory (web/main.ts).
  spawnChild('web', process.execPath, [
    join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
    '--tsconfig',
    join(ROOT, 'tsconfig.node.json'),
    join(ROOT, 'web/main.ts'),
    '-p',
    String(port),
    ...(external ? [] : ['-H', '127.0.0.1']),
  ]),
);
await waitForWeb();
printBanner();

function printBanner() {
  const lines = [`Firebreak console: http://localhost:${port}`];
  if (!external && !production && existsSync(credentialsFile)) {
    const credentials: { role: string; email: string; password: string }[] = JSON.parse(
      readFileSync(credentialsFile, 'utf8'),
    );
    lines.push(
      `Sign in with a demo account (one per role; also in ${relative(ROOT, credentialsFile) || credentialsFile}):`,
    );
    for (const c of credentials) lines.push(`  ${c.role.padEnd(9)}  ${c.email.padEnd(28)}  ${c.password}`);
    lines.push(`Demo customers: customer1…${demoCustomers}@demo.firebreak.local, password demo-customer-password`);
  } else if (!external && !production) {
    lines.push('Demo credentials were printed when the database was first seeded. Create an account with:');
    lines.push('  npx firebreak staff create --email you@example.com --role ADMIN');
  }
  lines.push(`Public status page (no login): http://localhost:${port}/status`);
  lines.push('Stop with Ctrl-C.');
  const width = Math.max(...lines.map((line) => line.length));
  console.log(
    `\n┌${'─'.repeat(width + 2)}┐\n${lines.map((line) => `│ ${line.padEnd(width)} │`).join('\n')}\n└${'─'.repeat(width + 2)}┘\n`,
  );
}

function localSecret() {
  const file = join(dataDir(), 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * A child process. The web app exiting stops Firebreak; a worker that exits is started again
 * (after 1 s, doubling to 30 s while it keeps failing; reset after a minute up), as a supervisor
 * would in production (README, "Running against your own PostgreSQL"): the mail and the fan-out
 * must not stall because one worker died.
 */
function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: { restart?: boolean } = {},
  failures = 0,
): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const started = Date.now();
  child.on('exit', (code, signal) => {
    if (stopping) return;
    if (!options.restart) {
      log(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping Firebreak.`);
      shutdown(1);
      return;
    }
    const attempt = Date.now() - started > 60_000 ? 0 : failures + 1;
    const delay = Math.min(1000 * 2 ** Math.max(attempt - 1, 0), 30_000);
    log(`${name} exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s`);
    setTimeout(() => {
      if (stopping) return;
      const index = children.indexOf(child);
      const next = spawnChild(name, command, args, options, attempt);
      if (index >= 0) children[index] = next;
      else children.push(next);
    }, delay);
  });
  return child;
}

function run(command: string, args: string[], environment: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: environment, stdio: 'inherit' });
    children.push(child); // so that a Ctrl-C during the build stops it too
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args[1] ?? command} exited with ${code}`)),
    );
  }).catch((error: Error) => fail(error.message));
}

async function waitForWeb() {
  for (let i = 0; i < 600; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (response.status < 500 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail(`the web app did not answer on port ${port} within 60 s`);
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  // Never hang on the way out: PostgreSQL may already have had the terminal's SIGINT.
  setTimeout(() => process.exit(code), 15_000).unref();
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(null);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  await sink?.stop().catch(() => {});
  await database.stop();
  process.exit(code);
}
