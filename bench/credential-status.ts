// npm run bench:credential-status [-- N]
// The exchange's login service asking GET /api/v1/customers/:externalId/credential-status for a
// wave of logins while a reset of all N customers (default 1,000,000) is being fanned out, on
// loopback, against the production build served as the launcher serves it (web/main.ts), with a
// real worker process doing the fan-out. In one run, with autocannon (bounded in time):
//   floor:   GET /api/v1/health of the same server (it too reads the database on every call)
//   product: the credential status of a random customer each request, with a scoped token
//   target:  p99 < 5 ms (issue 17), and the fan-out still running when each load ends
// Both are also measured before the reset is approved: the lookup's own cost, without a fan-out
// competing for the same cores.
// Reset mail is frozen, so no SMTP server is needed: the fan-out writes every mail, held.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { prepareDatabase } from '@/lib/db/prepare';
import { freePort } from '../test/ports';

const ROOT = process.cwd();
const N = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** The login wave's rate for the latency measurement (all connections together). */
const RATE = Number(process.env.BENCH_RATE ?? 200);

const dataDir = join(ROOT, '.data/bench-credential-status');
rmSync(dataDir, { recursive: true, force: true });
const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir, port: await freePort() });
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS bench_credential_status WITH (FORCE)');
await admin.query('CREATE DATABASE bench_credential_status');
await admin.end();
const url = Object.assign(new URL(adminUrl), { pathname: '/bench_credential_status' }).toString();
const port = await freePort();
const site = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATABASE_URL: url,
  AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-00',
  NEXTAUTH_URL: site,
  FIREBREAK_PUBLIC_URL: site,
  NODE_ENV: 'production' as const,
  NEXT_TELEMETRY_DISABLED: '1',
};
Object.assign(process.env, env);
await prepareDatabase(url); // the migrations and the worker's job queue

// N customers (one shared password hash: hashing a million passwords would take hours and measure
// nothing here), an incident, reset mail frozen, a reset of everyone waiting for approval.
const db = new pg.Client({ connectionString: url });
await db.connect();
const seeding = performance.now();
const { hashPassword } = await import('@/lib/auth/passwords');
await db.query(
  `INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "credentialsChangedAt")
   SELECT gen_random_uuid(), 'cust-' || g, 'customer' || g || '@bench.example', $1, now() - interval '90 days'
     FROM generate_series(1, $2::int) AS g`,
  [await hashPassword('bench customer password'), N],
);
await db.query('ANALYZE "Customer"');
console.log(`seeded ${N.toLocaleString('en-US')} customers in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

const { systemActor } = await import('@/lib/auth/actor');
const { createStaff } = await import('@/lib/staff');
const { createApiToken } = await import('@/lib/auth/tokens');
const { declareIncident } = await import('@/lib/incidents');
const { freezeMail } = await import('@/lib/mail/freeze');
const { approveReset, requestReset } = await import('@/lib/resets');
const { disconnectDb } = await import('@/lib/db');
const system = systemActor('bench');
const staff = async (role: 'SECURITY' | 'ADMIN') => {
  const { user } = await createStaff(system, { email: `${role.toLowerCase()}@bench.example`, name: role, role });
  return { kind: 'staff' as const, ...user, via: 'session' as const };
};
const [security, approver] = [await staff('SECURITY'), await staff('ADMIN')];
const { token } = await createApiToken(system, {
  ownerEmail: security.email,
  name: 'exchange auth service',
  scope: 'credential-status:read',
});
const incident = await declareIncident(security, {
  title: 'Leak',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'b',
});
await freezeMail(security, { streams: ['SECURITY'], reason: 'bench: the reset mail is held, no SMTP server here' });
const campaign = await requestReset(security, incident.id, { scope: 'ALL' });

// The production build; the web process and a worker as the launcher runs them.
execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/build-if-stale.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
});
const tsx = (entry: string, args: string[] = []) =>
  spawn(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'tsconfig.node.json', entry, ...args],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
const children: ChildProcess[] = [tsx('web/main.ts', ['-p', String(port), '-H', '127.0.0.1']), tsx('worker/main.ts')];
const stop = () => {
  for (const child of children)
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
};
process.on('exit', stop);
const headers = { authorization: `Bearer ${token}` };
for (let deadline = Date.now() + 120_000; ; ) {
  const health = await fetch(`${site}/api/v1/health`).catch(() => null);
  if (health?.status === 200) break;
  if (Date.now() > deadline) throw new Error('the web process and a worker were not healthy within 120 s');
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const probe = await fetch(`${site}/api/v1/customers/cust-1/credential-status`, { headers });
if (probe.status !== 200) throw new Error(`credential status answered ${probe.status}: ${await probe.text()}`);

const randomCustomer = () => `/api/v1/customers/cust-${1 + Math.floor(Math.random() * N)}/credential-status`;
/** As fast as the server answers (throughput), or at `rate` requests/s (latency at a given wave). */
function load(path: string, withToken: boolean, seconds = SECONDS, rate?: number) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: `${site}${path}`,
        connections: CONNECTIONS,
        duration: seconds,
        ...(rate ? { overallRate: rate } : {}),
        headers: withToken ? headers : {},
        requests: withToken ? [{ setupRequest: (request) => ({ ...request, path: randomCustomer() }) }] : undefined,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}
const progress = async () =>
  (
    await db.query<{ processed: number; status: string }>(
      `SELECT "processedCount"::int AS processed, status FROM "ResetCampaign" WHERE id = $1`,
      [campaign.id],
    )
  ).rows[0];

await load('/api/v1/health', false, 3); // warm up (JIT, pools), before the reset
await load(randomCustomer(), true, 3);
const during = async (name: string, run: () => Promise<autocannon.Result>) => {
  const before = await progress();
  const result = await run();
  const after = await progress();
  return { name, result, before, after };
};
// The lookup's own cost, on a quiet machine: no reset running yet.
const quietFloor = await during('GET /api/v1/health', () => load('/api/v1/health', false));
const quiet = await during('credential-status', () => load(randomCustomer(), true));
const quietWave = await during(`cred-status @${RATE}/s`, () => load(randomCustomer(), true, SECONDS, RATE));
const approved = await approveReset(approver, campaign.id);
const answers = await Promise.all(
  ['cust-1', `cust-${N}`].map(async (id) => {
    const response = await fetch(`${site}/api/v1/customers/${id}/credential-status`, { headers });
    return ((await response.json()) as { status: string }).status;
  }),
);
if (answers.some((a) => a !== 'reset_required')) throw new Error(`in effect at approval? ${answers.join(', ')}`);
for (let deadline = Date.now() + 60_000; (await progress()).processed === 0; ) {
  if (Date.now() > deadline) throw new Error('the fan-out did not start within 60 s');
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const floor = await during('GET /api/v1/health', () => load('/api/v1/health', false));
const product = await during('credential-status', () => load(randomCustomer(), true));
const waveFloor = await during(`health @${RATE}/s`, () => load('/api/v1/health', false, SECONDS, RATE));
const wave = await during(`cred-status @${RATE}/s`, () => load(randomCustomer(), true, SECONDS, RATE));

const line = ({ name, result: r, before, after }: Awaited<ReturnType<typeof during>>) =>
  `${name.padEnd(20)} ${Math.round(r.requests.average).toString().padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   non-2xx ${r.non2xx}   fan-out ${before.processed.toLocaleString('en-US')} → ${after.processed.toLocaleString('en-US')} (${after.status})`;
console.log(
  `\nbench:credential-status — ${N.toLocaleString('en-US')} customers, a reset of all of them effective ${approved.effectiveAt?.toISOString()}, ${CONNECTIONS} connections, ${SECONDS} s each, loopback, this machine`,
);
const ratio = (a: autocannon.Result, b: autocannon.Result) => (a.requests.average / b.requests.average).toFixed(2);
console.log('before the reset (no fan-out running):');
console.log(line(quietFloor));
console.log(line(quiet));
console.log(line(quietWave));
console.log('during the reset (the worker fanning out on the same 2 cores):');
console.log(line(floor));
console.log(line(product));
console.log(`during the reset, a login wave of ${RATE} requests/s:`);
console.log(line(waveFloor));
console.log(line(wave));
console.log(
  `ratio credential-status/health ${ratio(quiet.result, quietFloor.result)} before, ${ratio(product.result, floor.result)} during (requests/s, saturated); p99 at ${RATE}/s: ${quietWave.result.latency.p99} ms before the reset, ${wave.result.latency.p99} ms during it (health ${waveFloor.result.latency.p99} ms; target < 5 ms)`,
);
const stillRunning = wave.after.status === 'RUNNING';
if (!stillRunning)
  console.log('note: the fan-out finished before the load ended; part of it ran without a reset in progress');

await db.end();
await disconnectDb();
stop();
await server?.stop();
process.exit(product.result.non2xx + wave.result.non2xx + quietWave.result.non2xx === 0 ? 0 : 1);
