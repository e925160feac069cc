// npm run bench:blast [-- MESSAGES]
// The blast radius of a leaking bulk tool's mail log: MESSAGES (default 1,000,000) messages with
// 30 recipient entries each on average (30M), against a directory of 1,000,000 customers:
//   - the leak: every customer in To batches of 1,000 (mixed case, display names with commas),
//     ten batches sent twice, some with Cc and Bcc, 2% of the addresses no longer customers;
//   - newsletters done right: Bcc batches of 1,000 to an empty group (undisclosed-recipients:;);
//   - the rest transactional mail, one recipient each.
// Timed: the import (JSON Lines read and parsed as a stream, copied in, deduplicated by message id)
// and the exposure analysis, i.e. importMailLog from a file on disk to committed figures.
// Floor: the same figures computed by one SQL query over the raw rows (message id, kind, address:
// the log already split, one row per recipient entry, loaded beforehand and not timed).
// Target: ratio ≤ 1.5 (DESIGN.md), with the import's peak memory bounded (printed).
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';

const MESSAGES = Number(process.argv[2] ?? 1_000_000);
const CUSTOMERS = Math.round(MESSAGES);
const ENTRIES = MESSAGES * 30;
const BATCH = 1000;

const dataDir = join(process.cwd(), '.data/bench-blast');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const server = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: 54381 });
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS bench_blast WITH (FORCE)');
await admin.query('CREATE DATABASE bench_blast');
await admin.end();
const url = Object.assign(new URL(adminUrl), { pathname: '/bench_blast' }).toString();
process.env.DATABASE_URL = url;
await migrate(url);

const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query(
  `INSERT INTO "Customer" (id, "externalId", email, "passwordHash")
   SELECT gen_random_uuid(), 'c' || g, 'user' || g || '@bench.example', NULL FROM generate_series(1, $1::int) g`,
  [CUSTOMERS],
);

// The log, and the same log as raw rows for the floor.
const logPath = join(dataDir, 'log.jsonl');
const rawPath = join(dataDir, 'raw.tsv');
const log = createWriteStream(logPath);
const raw = createWriteStream(rawPath);
const write = async (stream: NodeJS.WritableStream, text: string) => {
  if (!stream.write(text)) await once(stream, 'drain');
};
let messages = 0;
let entries = 0;
let serial = 0;
async function message(to: string[], cc: string[], bcc: string[], header: (list: string[]) => string) {
  const id = `m${++serial}@tool.bench.example`;
  messages++;
  entries += to.length + cc.length + bcc.length;
  await write(
    log,
    `${JSON.stringify({ messageId: `<${id}>`, time: '2019-11-01T12:00:00Z', from: 'Exchange <news@bench.example>', to: to.length ? header(to) : 'undisclosed-recipients:;', cc: header(cc), bcc: header(bcc) })}\n`,
  );
  let rows = '';
  for (const [kind, list] of [
    ['to', to],
    ['cc', cc],
    ['bcc', bcc],
  ] as const)
    for (const address of list) rows += `${id}\t${kind}\t${address}\n`;
  await write(raw, rows);
}
const bare = (list: string[]) => list.join(', ');
// A leaked address as the tool logged it: mixed case for some; the header gives a third of them a display name with a comma.
const leaked = (i: number) => (i % 7 === 0 ? `User${i}@Bench.Example` : `user${i}@bench.example`);
const named = (list: string[]) =>
  list.map((address, i) => (i % 3 === 0 ? `"Customer ${i}, Jr." <${address}>` : address)).join(', ');
const population = Math.round(CUSTOMERS * 1.02);
const leakBatches = Math.ceil(population / BATCH);
const batch = (b: number) =>
  Array.from({ length: Math.min(BATCH, population - b * BATCH) }, (_, k) => leaked(b * BATCH + k + 1));
for (let b = 0; b < leakBatches; b++) {
  const cc = b % 50 === 0 ? ['support@bench.example', 'Compliance@Bench.Example'] : [];
  const bcc = b % 40 === 0 ? ['archive@bench.example'] : [];
  await message(batch(b), cc, bcc, named);
  if (b % 100 === 0) await message(batch(b), [], [], named); // sent twice: the same people, another message
}
const perNewsletter = BATCH;
const singles = (remaining: number, left: number) => Math.max(0, remaining - left);
let newsletterCount = Math.floor((ENTRIES - entries - (MESSAGES - messages)) / (perNewsletter - 1));
newsletterCount = Math.max(0, Math.min(newsletterCount, MESSAGES - messages));
for (let n = 0; n < newsletterCount; n++) {
  const start = (n * perNewsletter) % CUSTOMERS;
  await message(
    [],
    [],
    Array.from({ length: perNewsletter }, (_, k) => `user${((start + k) % CUSTOMERS) + 1}@bench.example`),
    bare,
  );
}
for (let s = 0, count = singles(MESSAGES, messages); s < count; s++)
  await message([`user${(s % CUSTOMERS) + 1}@bench.example`], [], [], bare);
log.end();
raw.end();
await Promise.all([once(log, 'finish'), once(raw, 'finish')]);
console.log(
  `log: ${messages.toLocaleString('en-US')} messages, ${entries.toLocaleString('en-US')} recipient entries, ${(statSync(logPath).size / 2 ** 20).toFixed(0)} MiB of JSON Lines; ${CUSTOMERS.toLocaleString('en-US')} customers`,
);

// The floor's raw rows, loaded (not timed).
await client.query(`CREATE UNLOGGED TABLE raw (message_id text, kind text, address text)`);
const copy = client.query(copyFrom(`COPY raw FROM STDIN`));
createReadStream(rawPath).pipe(copy);
await once(copy, 'finish');
await client.query('VACUUM ANALYZE raw');
await client.query(`ANALYZE "Customer"`);

const { systemActor } = await import('@/lib/auth/actor');
const { declareIncident } = await import('@/lib/incidents');
const { createStaff } = await import('@/lib/staff');
const { importMailLog } = await import('@/lib/blast/import');
const { disconnectDb } = await import('@/lib/db');
const system = systemActor('bench');
const { user } = await createStaff(system, { email: 'bench@bench.example', name: 'Bench', role: 'SECURITY' });
const actor = { kind: 'staff' as const, ...user, via: 'session' as const };
const incident = await declareIncident(actor, {
  title: 'Leak',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'bench',
});

// The floor: one statement, the figures per address, materialised as the analysis materialises its own.
let started = performance.now();
await client.query(
  `CREATE UNLOGGED TABLE floor_exposure AS
   WITH r AS (SELECT message_id, lower(address) AS address, bool_or(kind <> 'bcc') AS visible FROM raw GROUP BY 1, 2),
        n AS (SELECT message_id, count(*) AS n FROM r GROUP BY 1),
        v AS (SELECT r.address, r.message_id, n.n FROM r JOIN n USING (message_id) WHERE r.visible AND n.n > 1),
        e AS (SELECT address, count(*) AS messages, sum(n - 1) AS seen FROM v GROUP BY 1),
        multi AS (SELECT v.address, count(DISTINCT o.address) - 1 AS seen
                    FROM v JOIN e USING (address) JOIN r o USING (message_id) WHERE e.messages > 1 GROUP BY 1)
   SELECT e.address, e.messages, coalesce(multi.seen, e.seen) AS "seenBy", c.id AS "customerId"
     FROM e LEFT JOIN multi USING (address) LEFT JOIN "Customer" c ON c.email = e.address`,
);
const floorMs = performance.now() - started;
const {
  rows: [floor],
} = await client.query(
  `SELECT count(*)::int AS addresses, count("customerId")::int AS customers, sum("seenBy")::bigint AS seen FROM floor_exposure`,
);

started = performance.now();
const result = await importMailLog(actor, incident.id, createReadStream(logPath), 'jsonl', { name: 'log.jsonl' });
const importMs = performance.now() - started;
const {
  rows: [ours],
} = await client.query(
  `SELECT count(*)::int AS addresses, count("customerId")::int AS customers, sum("seenBy")::bigint AS seen FROM "MailExposure" WHERE "incidentId" = $1`,
  [incident.id],
);
const peak = process.resourceUsage().maxRSS / 1024;
const same = ours.addresses === floor.addresses && ours.customers === floor.customers && ours.seen === floor.seen;
console.log(
  `floor (one SQL query over ${entries.toLocaleString('en-US')} raw rows): ${(floorMs / 1000).toFixed(1)} s — ${floor.addresses.toLocaleString('en-US')} exposed addresses, ${floor.customers.toLocaleString('en-US')} customers`,
);
console.log(
  `import + analysis: ${(importMs / 1000).toFixed(1)} s — ${result.figures.exposedAddresses.toLocaleString('en-US')} exposed addresses, ${result.figures.exposedCustomers.toLocaleString('en-US')} customers, ${result.figures.exposingMessages.toLocaleString('en-US')} exposing messages`,
);
console.log(
  `figures equal to the floor's: ${same ? 'yes' : `NO (ours ${JSON.stringify(ours)}, floor ${JSON.stringify(floor)})`}`,
);
console.log(
  `ratio ${(importMs / floorMs).toFixed(2)} (target ≤ 1.5); peak memory of the process ${peak.toFixed(0)} MiB`,
);
await client.end();
await disconnectDb();
await server?.stop();
rmSync(dataDir, { recursive: true, force: true });
if (!same || importMs / floorMs > 1.5) process.exitCode = 1;
