// npm run bench:status
// The public status page under a spike, on loopback, against the production build (`next start`)
// with a realistic page: four official channels (one compromised), three incidents with published
// notices of three revisions each. In one run, with autocannon (bounded in time):
//   floor:   a static file of the same server (a build chunk of about the page's size)
//   product: GET /status and GET /api/v2/summary.json
//   target:  ≥ 0.8× the floor's requests/s, p99 < 50 ms (DESIGN.md), and no database query while
//            under load: the page is served from the in-memory snapshot (lib/status/snapshot.ts).
// The database's transactions are counted from pg_stat_database around the load (after waiting for
// every backend to flush its statistics), the bench's own reads taken off.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { freePort } from '../test/ports';

const ROOT = process.cwd();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const dataDir = join(ROOT, '.data/bench-status');
rmSync(dataDir, { recursive: true, force: true });
const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir, port: await freePort() });
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS bench_status WITH (FORCE)');
await admin.query('CREATE DATABASE bench_status');
await admin.end();
const url = Object.assign(new URL(adminUrl), { pathname: '/bench_status' }).toString();
const port = await freePort();
const site = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATABASE_URL: url,
  AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-00',
  NEXTAUTH_URL: site,
  FIREBREAK_PUBLIC_URL: site,
  FIREBREAK_EXCHANGE_NAME: 'Bench Exchange',
  FIREBREAK_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  NODE_ENV: 'production' as const,
  NEXT_TELEMETRY_DISABLED: '1',
};
Object.assign(process.env, env);
await migrate(url);

// The page as it looks an hour into a breach.
const { systemActor } = await import('@/lib/auth/actor');
const { createStaff } = await import('@/lib/staff');
const { declareIncident } = await import('@/lib/incidents');
const { addChannel, markChannel } = await import('@/lib/channels');
const { disconnectDb } = await import('@/lib/db');
const { completeNoticeBody, publishedRevision } = await import('../test/fixtures');
const system = systemActor('bench');
const actor = async (role: 'SECURITY' | 'COMMS' | 'EXECUTIVE') => {
  const { user } = await createStaff(system, {
    email: `${role.toLowerCase()}@bench.example`,
    name: role,
    role,
    password: 'bench password 1234',
  });
  return { kind: 'staff' as const, ...user, via: 'session' as const };
};
const [security, comms, executive] = [await actor('SECURITY'), await actor('COMMS'), await actor('EXECUTIVE')];
const channels = [
  { name: 'X', kind: 'X', handle: '@benchx', url: 'https://x.com/benchx' },
  { name: 'Telegram', kind: 'TELEGRAM', handle: 't.me/bench', url: 'https://t.me/bench' },
  { name: 'Mail', kind: 'MAIL_DOMAIN', handle: 'bench.example' },
  { name: 'Blog', kind: 'BLOG', handle: 'blog.bench.example', url: 'https://blog.bench.example' },
] as const;
const added = [];
for (const channel of channels) added.push(await addChannel(security, channel));
const labels = added.slice(1).map((c) => c.label);
await markChannel(security, added[0].id, { status: 'COMPROMISED', reason: 'bench', publicNote: 'Ignore it.' });
for (let i = 1; i <= 3; i++) {
  const incident = await declareIncident(security, {
    title: `Incident ${i}`,
    kind: 'DATA_BREACH',
    severity: 'SEV1',
    summary: 'bench',
  });
  const body = (n: number) =>
    `Update ${n} of incident ${i}.\n\n${completeNoticeBody({ publicUrl: site, channels: labels })}`;
  const people = { author: comms, approver: executive };
  const { id } = await publishedRevision(people, { incident: incident.id }, { title: `Notice ${i}`, body: body(1) });
  for (let revision = 2; revision <= 3; revision++)
    await publishedRevision(people, { notice: id }, { title: `Notice ${i}`, body: body(revision) });
}
await disconnectDb();

// The production build, served as in production.
execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/build-if-stale.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
});
// The web process as the launcher runs it (web/main.ts: the public pages answered from memory in
// front of Next); BENCH_NEXT_START=1 measures plain `next start` (the route files) instead.
const web: ChildProcess = spawn(
  process.execPath,
  process.env.BENCH_NEXT_START === '1'
    ? [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1']
    : [
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        join(ROOT, 'tsconfig.node.json'),
        join(ROOT, 'web/main.ts'),
        '-p',
        String(port),
        '-H',
        '127.0.0.1',
      ],
  { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true },
);
const stop = () => {
  try {
    process.kill(-web.pid!, 'SIGTERM');
  } catch {}
};
process.on('exit', stop);

async function get(path: string) {
  const response = await fetch(`${site}${path}`);
  const body = await response.arrayBuffer();
  return { status: response.status, bytes: body.byteLength };
}
for (let deadline = Date.now() + 60_000; ; ) {
  if ((await get('/status').catch(() => ({ status: 0 }))).status === 200) break;
  if (Date.now() > deadline) throw new Error('the web process did not answer /status within 60 s');
  await new Promise((resolve) => setTimeout(resolve, 250));
}

// The floor: the build's static chunk closest in size to the page.
const page = await get('/status');
const chunks = join(ROOT, '.next/static/chunks');
const staticFile = readdirSync(chunks)
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({ f, size: statSync(join(chunks, f)).size }))
  .sort((a, b) => Math.abs(a.size - page.bytes) - Math.abs(b.size - page.bytes))[0];
const staticPath = `/_next/static/chunks/${staticFile.f}`;
if ((await get(staticPath)).status !== 200) throw new Error(`${staticPath} is not served`);

const stats = new pg.Client({ connectionString: url });
await stats.connect();
/** Committed and rolled-back transactions in the bench database, once every backend has flushed its statistics. */
async function transactions() {
  await new Promise((resolve) => setTimeout(resolve, 11_000)); // idle backends flush within 10 s
  const { rows } = await stats.query<{ n: string }>(
    `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = 'bench_status'`,
  );
  return Number(rows[0].n);
}

function load(path: string) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url: `${site}${path}`, connections: CONNECTIONS, duration: SECONDS }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}
const report = (name: string, r: autocannon.Result) =>
  `${name.padEnd(22)} ${Math.round(r.requests.average).toString().padStart(7)} req/s   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}`;

for (const path of [staticPath, '/status', '/api/v2/summary.json']) await load(path); // warm up (JIT, the snapshot)
const before = await transactions();
const floor = await load(staticPath);
const status = await load('/status');
const summary = await load('/api/v2/summary.json');
const after = await transactions();
// The count read between them is the bench's own: one transaction.
const queries = after - before - 1;

console.log(
  `\nbench:status — ${CONNECTIONS} connections, ${SECONDS} s each, loopback, this machine (${page.bytes} bytes of /status; static file ${staticFile.size} bytes)`,
);
console.log(report(`static ${staticFile.f.slice(0, 12)}`, floor));
console.log(report('/status', status));
console.log(report('/api/v2/summary.json', summary));
const ratio = (r: autocannon.Result) => (r.requests.average / floor.requests.average).toFixed(2);
console.log(`ratio /status ${ratio(status)}, summary.json ${ratio(summary)} (target ≥ 0.8; p99 target < 50 ms)`);
console.log(`database transactions during the load: ${queries} (target 0)`);

await stats.end();
stop();
await server?.stop();
process.exit(0);
