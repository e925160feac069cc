// Scale-out as the README describes it: two web processes and two workers on one database. A
// second Firebreak (the real launcher on a cluster of its own, seeded with 100,000 customers) runs
// web A and worker 1; this test starts web B and worker 2 beside it with the same configuration,
// as an operator adds replicas. Then the whole response goes through both web processes: a reset
// of all 100,000 customers, requested on A and approved on B, and a freeze on B in the middle of
// its mail. Exactly one reset mail per customer, nothing accepted after the freeze returned, old
// customer sessions refused by both web processes, and both workers sent mail.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../test/ports';
import { demoEmail, E2E_PASSWORD } from './config';
import { type APIRequestContext, expect, test } from './test';

const CUSTOMERS = 100_000;
const DEMO_CUSTOMER_PASSWORD = 'demo-customer-password';
const ROOT = process.cwd();
const dataDir = join(ROOT, '.data/e2e-scale');
const processes: ChildProcess[] = [];
const output: string[] = [];

function start(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) =>
    output.push(
      ...chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${name}] ${line}`),
    );
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  processes.push(child);
  return child;
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output.slice(-40).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.afterAll(async () => {
  await Promise.all(
    processes.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(null);
          child.once('exit', resolve);
          try {
            process.kill(-child.pid!, 'SIGTERM');
          } catch {
            resolve(null);
          }
        }),
    ),
  );
  rmSync(dataDir, { recursive: true, force: true });
});

test('two web processes and two workers: a 100,000-customer reset and a freeze, each mail exactly once', async ({
  browser,
}) => {
  test.skip(Boolean(process.env.DATABASE_URL), 'runs its own embedded cluster');
  test.setTimeout(900_000); // a correctness test: 2 cores send the 100,000 mails at ~300/s, CI's a little slower
  rmSync(dataDir, { recursive: true, force: true });
  const [portA, portB, smtpPort, pgPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const webA = `http://localhost:${portA}`;
  const webB = `http://localhost:${portB}`;

  // Web A, worker 1, the SMTP sink and the database: the real launcher.
  const launcherEnv = {
    ...process.env,
    PORT: String(portA),
    NEXTAUTH_URL: webA,
    FIREBREAK_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    SMTP_SINK_PORT: String(smtpPort),
    FIREBREAK_DEMO_PASSWORD: E2E_PASSWORD,
    FIREBREAK_DEMO_CUSTOMERS: String(CUSTOMERS),
    NEXT_TELEMETRY_DISABLED: '1',
    FIREBREAK_SKIP_BUILD: '1', // the e2e server's web process is serving this build
  };
  start(
    'launcher',
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'tsconfig.node.json', 'scripts/start.ts'],
    launcherEnv,
  );
  await until(async () => (await fetch(`${webA}/api/v1/health`)).status === 200, 240_000, 'web A and worker 1');

  // Web B and worker 2: the same configuration, as the README's scale-out section says.
  const { firebreak_app: password } = JSON.parse(readFileSync(join(dataDir, 'db-roles.json'), 'utf8'));
  const databaseUrl = `postgresql://firebreak_app:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/firebreak`;
  const replicaEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: readFileSync(join(dataDir, 'auth-secret'), 'utf8').trim(),
    NEXTAUTH_URL: webA,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_DELIVERY_CHECK: 'sink',
    AUDIT_SIGNING_KEY_FILE: join(dataDir, 'audit-signing-key.pem'),
    AUDIT_CHECKPOINT_FILE: join(dataDir, 'audit-checkpoints.jsonl'),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  start(
    'web B',
    [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(portB), '-H', '127.0.0.1'],
    replicaEnv,
  );
  start(
    'worker 2',
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'tsconfig.node.json', 'worker/main.ts'],
    replicaEnv,
  );
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const one = async <T>(text: string, values: unknown[] = []) => (await db.query(text, values)).rows[0] as T;
  try {
    await until(async () => (await fetch(`${webB}/api/v1/health`)).status === 200, 60_000, 'web B');
    await until(
      async () =>
        (
          await one<{ n: number }>(
            `SELECT count(*)::int AS n FROM "WorkerHeartbeat" WHERE "lastSeenAt" > now() - interval '10 seconds'`,
          )
        ).n === 2,
      60_000,
      'two live workers',
    );
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Customer"`)).n).toBe(CUSTOMERS);

    // Customers signed in before the reset, through each web process; each session works on both.
    const customers = [1, 2, 3, 4].map((n) => `customer${n * 24_999}@demo.firebreak.local`);
    const sessions: string[] = [];
    for (const [i, email] of customers.entries()) {
      const response = await fetch(`${i % 2 ? webB : webA}/api/v1/customer/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_CUSTOMER_PASSWORD }),
      });
      expect(response.status).toBe(200);
      sessions.push(((await response.json()) as { sessionToken: string }).sessionToken);
    }
    const sessionStatus = (web: string, token: string) =>
      fetch(`${web}/api/v1/customer/session`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    for (const token of sessions) for (const web of [webA, webB]) expect(await sessionStatus(web, token)).toBe(200);

    // Staff sign in on web A (behind a load balancer that could be either replica: they share
    // AUTH_SECRET, so web B honours the session too). SECURITY works with a token it minted itself.
    const signedIn = async (role: 'SECURITY' | 'ADMIN') => {
      const context = await browser.newContext({ baseURL: webA });
      const page = await context.newPage();
      await page.goto('/signin');
      await page.getByLabel('Email').fill(demoEmail(role));
      await page.getByLabel('Password').fill(E2E_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByTestId('signed-in-user')).toBeVisible();
      return { context, page };
    };
    const securityUser = await signedIn('SECURITY');
    const minted = await securityUser.page.request.post('/api/v1/tokens', { data: { name: 'scale-out SECURITY' } });
    expect(minted.status()).toBe(201);
    const security = { authorization: `Bearer ${((await minted.json()) as { token: string }).token}` };
    await securityUser.context.close();
    const request: APIRequestContext = (await browser.newContext()).request;
    const post = async (url: string, headers: Record<string, string>, data: object, status: number) => {
      const response = await request.post(url, { headers, data });
      expect(response.status(), `${url}: ${await response.text()}`).toBe(status);
      return response.json();
    };

    // A hijacked channel marked on web A: the public page of both web processes shows the
    // warning within a second (each serves a snapshot; NOTIFY reaches both).
    const banner = 'Our X account @firebreakdemo is compromised';
    for (const web of [webA, webB]) expect(await (await fetch(`${web}/status`)).text()).not.toContain(banner);
    const { channels } = await (await request.get(`${webA}/api/v1/channels`, { headers: security })).json();
    const x = channels.find((c: { handle: string }) => c.handle === '@firebreakdemo');
    const markedAt = Date.now();
    await post(
      `${webA}/api/v1/channels/${x.id}/status`,
      security,
      { status: 'COMPROMISED', reason: 'scale-out test: the account posts a fake giveaway' },
      200,
    );
    const seen: Record<string, number> = {};
    await until(
      async () => {
        for (const web of [webA, webB])
          if (!seen[web] && (await (await fetch(`${web}/status`)).text()).includes(banner))
            seen[web] = Date.now() - markedAt;
        return Object.keys(seen).length === 2;
      },
      5_000,
      'the banner on both web processes',
    );
    expect(Math.max(...Object.values(seen)), JSON.stringify(seen)).toBeLessThan(1000);
    console.log(`compromised-channel banner visible after ${JSON.stringify(seen)} ms`);

    // Declared and requested on web A, approved on web B: in effect when the approval returns.
    const adminUser = await signedIn('ADMIN');
    const { incident } = await post(
      `${webA}/api/v1/incidents`,
      security,
      { title: 'Addresses leaked by bulk mail', kind: 'DATA_BREACH', severity: 'SEV1', summary: 'Scale-out test.' },
      201,
    );
    const { campaign } = await post(`${webA}/api/v1/incidents/${incident.id}/resets`, security, { scope: 'ALL' }, 201);
    const approvedAt = Date.now();
    const approval = await adminUser.page.request.post(`${webB}/api/v1/resets/${campaign.id}/approve`); // a person's act: their session, on web B
    expect(approval.status(), await approval.text()).toBe(200);
    await adminUser.context.close();
    for (const token of sessions)
      for (const web of [webA, webB]) expect(await sessionStatus(web, token), `an old session on ${web}`).not.toBe(200);

    // Every customer gets a reset mail queued (both workers fan out), then sending is under way.
    await until(
      async () =>
        (
          await one<{ n: number }>(`SELECT count(*)::int AS n FROM "MailMessage" WHERE "campaignId" = $1`, [
            campaign.id,
          ])
        ).n === CUSTOMERS,
      120_000,
      'the fan-out',
    );
    const fannedOutMs = Date.now() - approvedAt;
    const sinkCount = async () => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM "SinkMessage"`)).n;
    await until(async () => (await sinkCount()) >= 15_000, 180_000, '15,000 mails accepted');

    // Freeze on web B while both workers send: nothing is accepted after it returns.
    const frozen = await post(
      `${webB}/api/v1/mail/freeze`,
      security,
      { streams: ['SECURITY'], reason: 'scale-out test: freeze under load' },
      200,
    );
    const atReturn = await sinkCount();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await sinkCount()).toBe(atReturn);
    const statuses = async () =>
      Object.fromEntries(
        (
          await db.query<{ status: string; n: number }>(
            `SELECT status, count(*)::int AS n FROM "MailMessage" WHERE "campaignId" = $1 GROUP BY status`,
            [campaign.id],
          )
        ).rows.map((r) => [r.status, r.n]),
      );
    const held = await statuses();
    expect(held.SENDING ?? 0).toBe(0);
    expect(held.QUEUED ?? 0).toBe(0);
    expect(held.SENT).toBe(atReturn);
    expect(held.HELD).toBe(CUSTOMERS - atReturn);
    expect(frozen.held).toBe(held.HELD); // the freeze reported what it held

    // Lifted and released on web A: the rest go out, each exactly once.
    await post(
      `${webA}/api/v1/mail/unfreeze`,
      security,
      { streams: ['SECURITY'], reason: 'scale-out test: contained' },
      200,
    );
    await post(`${webA}/api/v1/mail/held/release`, security, { campaignId: campaign.id }, 200);
    const releasedAt = Date.now();
    await until(async () => (await statuses()).SENT === CUSTOMERS, 540_000, 'every reset mail sent');
    const secondsToSend = (Date.now() - releasedAt) / 1000;
    const sink = await one<{ messages: number; recipients: number; messageIds: number }>(
      `SELECT count(*)::int AS messages, count(DISTINCT "rcptTo"[1])::int AS recipients, count(DISTINCT "messageId")::int AS "messageIds" FROM "SinkMessage"`,
    );
    expect(sink).toEqual({ messages: CUSTOMERS, recipients: CUSTOMERS, messageIds: CUSTOMERS });
    const unmatched = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Customer" c WHERE NOT EXISTS (SELECT 1 FROM "SinkMessage" s WHERE s."rcptTo" = ARRAY[lower(c.email)])`,
    );
    expect(unmatched.n).toBe(0);

    // Both workers sent mail, and between them all of it (their heartbeats count what they sent).
    await until(
      async () => (await one<{ n: number }>(`SELECT sum("mailSent")::int AS n FROM "WorkerHeartbeat"`)).n === CUSTOMERS,
      15_000,
      'heartbeats to count every mail',
    );
    const workers = (await db.query<{ mailSent: number }>(`SELECT "mailSent" FROM "WorkerHeartbeat"`)).rows;
    expect(workers).toHaveLength(2);
    for (const worker of workers) expect(worker.mailSent).toBeGreaterThan(CUSTOMERS / 10);
    for (const token of sessions) for (const web of [webA, webB]) expect(await sessionStatus(web, token)).not.toBe(200);
    test.info().annotations.push({
      type: 'scale-out',
      description: `fan-out of ${CUSTOMERS} in ${fannedOutMs} ms; ${CUSTOMERS - atReturn} released mails sent in ${secondsToSend.toFixed(1)} s; per worker ${workers.map((w) => w.mailSent).join(' + ')}`,
    });
    console.log(test.info().annotations.at(-1)!.description);
  } finally {
    await db.end();
  }
});
