// npm run bench:reads [-- N]
// The reads people refresh during a reset, with N (default 1,000,000) reset mails in the outbox —
// the state after a 1M-customer reset while mail is frozen — in one run on one machine:
//   GET /api/v1/resets/:id and GET /api/v1/mail (their route handlers, with an API token), and
//   the data of the Overview, the war room (incident page) and the Mail page.
// Each is timed twice: with the tally as the fan-out leaves it (a row per 1,000-message statement,
// no fold yet) and after a worker's fold. Figures are medians of 15 calls after 3 warm-ups.
//   target:  under 100 ms each, at 1M and at 10M messages (DESIGN.md; README "Reads that stay fast")
//   floor:   the campaign's row by primary key, the least any progress read can cost
//   before:  the counts as they were made before the tally (GROUP BY over the outbox)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';

const N = Number(process.argv[2] ?? 1_000_000);
const STATEMENT = 1000;
const RUNS = 15;

const dataDir = join(process.cwd(), '.data/bench-reads');
rmSync(dataDir, { recursive: true, force: true });
const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir, port: 54379 });
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS bench_reads WITH (FORCE)');
await admin.query('CREATE DATABASE bench_reads');
await admin.end();
const url = Object.assign(new URL(adminUrl), { pathname: '/bench_reads' }).toString();
process.env.DATABASE_URL = url;
await migrate(url);

const { systemActor } = await import('@/lib/auth/actor');
const { createStaff } = await import('@/lib/staff');
const { createApiToken } = await import('@/lib/auth/tokens');
const { declareIncident, getIncident, listIncidents } = await import('@/lib/incidents');
const { listResets } = await import('@/lib/resets');
const { responseState } = await import('@/lib/response');
const { mailOverview } = await import('@/lib/mail/status');
const { listHeld } = await import('@/lib/mail/outbox');
const { compactTally } = await import('@/lib/mail/tally');
const { disconnectDb } = await import('@/lib/db');
const resetRoute = await import('@/app/api/v1/resets/[id]/route');
const mailRoute = await import('@/app/api/v1/mail/route');

const system = systemActor('bench');
const { user } = await createStaff(system, { email: 'bench@bench.example', name: 'Bench', role: 'SECURITY' });
const actor = { kind: 'staff' as const, ...user, via: 'session' as const };
const { token } = await createApiToken(system, { ownerEmail: user.email, name: 'bench' });
const incident = await declareIncident(actor, {
  title: 'Leak',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'bench',
});

const client = new pg.Client({ connectionString: url });
await client.connect();
const campaignId = '00000000-0000-4000-8000-0000000000aa';
await client.query(
  `INSERT INTO "ResetCampaign" (id, "incidentId", scope, status, "targetCount", "requestedBy", "approvedBy", "effectiveAt", "processedCount", "mailedCount", "startedAt", "finishedAt")
   VALUES ($1, $2, 'ALL', 'COMPLETED', $3, 'a', 'b', now() - interval '1 hour', $3, $3, now() - interval '1 hour', now() - interval '50 minutes')`,
  [campaignId, incident.id, N],
);

// The outbox: N reset mails in statements of 1,000 (as the fan-out writes them), nine in ten held
// by a freeze, one in ten sent over the last hour, and a handful uncertain.
const seeding = performance.now();
for (let from = 0; from < N; from += STATEMENT) {
  await client.query(
    `INSERT INTO "MailMessage" (id, stream, "to", subject, text, status, "idempotencyKey", "messageId", "campaignId", "queuedAt", "sentAt", "holdReason")
     SELECT gen_random_uuid(), 'SECURITY', 'c' || g || '@bench.example', 'Reset your password', 'link', s.status::"MailStatus",
            'bench:' || g, '<' || g || '@bench.example>', $3, now() - interval '1 hour',
            CASE WHEN s.status = 'SENT' THEN now() - (g % 3600) * interval '1 second' END,
            CASE WHEN g % 100000 = 7 THEN 'OUTCOME_UNKNOWN'::"MailHoldReason" END
       FROM generate_series($1::int, $2::int) g,
            LATERAL (SELECT CASE WHEN g % 10 = 0 THEN 'SENT' ELSE 'HELD' END AS status) s`,
    [from + 1, Math.min(from + STATEMENT, N), campaignId],
  );
}
await client.query('VACUUM ANALYZE');
const tallyRows = async () => (await client.query(`SELECT count(*)::int AS n FROM "MailTally"`)).rows[0].n;
console.log(
  `seeded ${N.toLocaleString('en-US')} mail rows in ${((performance.now() - seeding) / 1000).toFixed(1)} s; ` +
    `the tally has ${(await tallyRows()).toLocaleString('en-US')} rows`,
);

async function median(work: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const call = async (handler: typeof resetRoute.GET, path: string, params: Record<string, string> = {}) => {
  const response = await handler(
    new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }),
    { params: Promise.resolve(params) },
  );
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
};

const reads: [string, () => Promise<unknown>][] = [
  ['GET /api/v1/resets/:id', () => call(resetRoute.GET, `/api/v1/resets/${campaignId}`, { id: campaignId })],
  ['GET /api/v1/mail', () => call(mailRoute.GET, '/api/v1/mail')],
  // The pages as they are built: each open incident with its response checklist (lib/response).
  [
    'Overview (open incidents, their checklists)',
    async () =>
      Promise.all(
        (await listIncidents(actor, { open: true })).map(async (i) =>
          responseState(actor, await getIncident(actor, i.reference)),
        ),
      ),
  ],
  [
    'war room (incident, checklist, resets)',
    async () => {
      const page = await getIncident(actor, incident.id);
      return Promise.all([responseState(actor, page), listResets(actor, incident.id)]);
    },
  ],
  [
    'Mail page (overview, uncertain)',
    () => Promise.all([mailOverview(actor), listHeld(actor, { holdReason: 'OUTCOME_UNKNOWN' })]),
  ],
];

const floor = await median(() => client.query(`SELECT * FROM "ResetCampaign" WHERE id = $1`, [campaignId]));
const before = await median(() =>
  Promise.all([
    client.query(`SELECT status, count(*) FROM "MailMessage" WHERE "campaignId" = $1 GROUP BY status`, [campaignId]),
    client.query(`SELECT stream, status, count(*) FROM "MailMessage" GROUP BY stream, status`),
  ]),
);
console.log(
  `\nfloor (campaign row by primary key) ${floor.toFixed(2)} ms; before the tally (GROUP BY over the outbox) ${before.toFixed(0)} ms\n`,
);

let worst = 0;
for (const state of ['as the fan-out leaves it', 'after a fold']) {
  if (state === 'after a fold') {
    await compactTally(client);
    await client.query('VACUUM ANALYZE "MailTally"');
  }
  console.log(`tally ${state} (${(await tallyRows()).toLocaleString('en-US')} rows):`);
  for (const [name, work] of reads) {
    const ms = await median(work);
    worst = Math.max(worst, ms);
    console.log(
      `  ${name.padEnd(42)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / floor).toFixed(0).padStart(5)}x floor   ${ms < 100 ? 'OK' : 'ABOVE the 100 ms target'}`,
    );
  }
}
console.log(`\nworst ${worst.toFixed(1)} ms at ${N.toLocaleString('en-US')} mail rows (target < 100 ms)`);

await client.end();
await disconnectDb();
await server?.stop();
