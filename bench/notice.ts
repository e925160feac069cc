// npm run bench:notice [-- N]
// Publishing a notice with notify ALL to N (default 1,000,000) customers, in one run on one machine:
//   product: the worker's notice mail (lib/disclosures/notify.ts: chunks of NOTICE_CHUNK_SIZE
//            customers in id order through the outbox's one writer, each chunk with its cursor)
//            until the delivery is COMPLETED
//   floor:   the same rows (same text, idempotency keys, Message-IDs) as one hand-written
//            INSERT … SELECT on an identical copy of the data
// Both start from copies of one seeded database (CREATE DATABASE … TEMPLATE). Target: ≤ 1.5×.
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';

const N = Number(process.argv[2] ?? 1_000_000);
const dataDir = join(process.cwd(), '.data/bench-notice');
rmSync(dataDir, { recursive: true, force: true });
const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir, port: 54389 });
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
for (const name of ['bench_notice_seed', 'bench_notice_floor', 'bench_notice_product'])
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query('CREATE DATABASE bench_notice_seed');
await migrate(urlOf('bench_notice_seed'));

// A published notice with notify ALL, made by the product's own functions on the seed database.
process.env.DATABASE_URL = urlOf('bench_notice_seed');
process.env.FIREBREAK_PUBLIC_URL = 'https://status.bench.example';
process.env.FIREBREAK_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const { systemActor } = await import('@/lib/auth/actor');
const { createStaff } = await import('@/lib/staff');
const { declareIncident } = await import('@/lib/incidents');
const disclosures = await import('@/lib/disclosures');
const { runNoticeChunk, noticeMail } = await import('@/lib/disclosures/notify');
const { disconnectDb } = await import('@/lib/db');
const { completeNoticeBody } = await import('../test/fixtures');

const staff = async (role: 'COMMS' | 'EXECUTIVE' | 'SECURITY') => {
  const { user } = await createStaff(systemActor('bench'), {
    email: `${role.toLowerCase()}@bench.example`,
    name: role,
    role,
    password: 'a long enough bench password',
  });
  return { kind: 'staff' as const, ...user, via: 'session' as const };
};
const comms = await staff('COMMS');
const incident = await declareIncident(await staff('SECURITY'), {
  title: 'Leak',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'bench',
});
const notice = await disclosures.createDisclosure(comms, incident.id, {
  title: 'Notice of Data Breach',
  body: completeNoticeBody({ publicUrl: 'https://status.bench.example' }),
});
await disclosures.submitDisclosure(comms, notice.id);
await disclosures.approveDisclosure(await staff('EXECUTIVE'), notice.id, {
  revision: 1,
  contentHash: notice.revisions[0].contentHash,
});
const published = await disclosures.publishDisclosure(comms, notice.id, { revision: 1, notify: 'ALL' });
const { signed } = published.notices[0];
await disconnectDb();

const seed = new pg.Client({ connectionString: urlOf('bench_notice_seed') });
await seed.connect();
const seeding = performance.now();
await seed.query(
  `INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "credentialsChangedAt")
   SELECT gen_random_uuid(), 'c' || g, 'c' || g || '@bench.example', 'x', now() FROM generate_series(1, $1::int) g`,
  [N],
);
await seed.query('VACUUM ANALYZE');
await seed.end();
console.log(`seeded ${N.toLocaleString('en-US')} customers in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
await admin.query('CREATE DATABASE bench_notice_floor TEMPLATE bench_notice_seed');
await admin.query('CREATE DATABASE bench_notice_product TEMPLATE bench_notice_seed');

const time = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

// Floor: every row in one statement — the same subject, text, keys, Message-IDs and time-ordered ids.
const { subject, text } = noticeMail(signed.notice, signed.kid, 'https://status.bench.example/status/verify');
const floorDb = new pg.Client({ connectionString: urlOf('bench_notice_floor') });
await floorDb.connect();
const floor = await time(() =>
  floorDb.query(
    `INSERT INTO "MailMessage" (id, stream, "to", subject, text, status, "idempotencyKey", "messageId", "incidentId", "disclosureId")
     SELECT uuidv7(), 'SECURITY', c.email, $1, $2, 'QUEUED', 'notice:' || $3 || ':1:' || c.id,
            '<' || left(encode(sha256(convert_to('notice:' || $3 || ':1:' || c.id, 'UTF8')), 'hex'), 40) || '@firebreak.invalid>', $4, $3::uuid
       FROM "Customer" c WHERE c.status = 'ACTIVE' ORDER BY c.id`,
    [subject, text, notice.id, incident.id],
  ),
);
await floorDb.end();

// Product: the worker's chunks until the delivery is complete.
const productDb = new pg.Client({ connectionString: urlOf('bench_notice_product') });
await productDb.connect();
const {
  rows: [{ noticeId }],
} = await productDb.query<{ noticeId: string }>(`SELECT "noticeId" FROM "NoticeDelivery" WHERE notify = 'ALL'`);
let chunks = 0;
const product = await time(async () => {
  while ((await runNoticeChunk(productDb, noticeId, 'https://status.bench.example/status/verify', 'ALL')) > 0) chunks++;
});
const { rows: count } = await productDb.query<{ n: number }>(
  `SELECT count(*)::int AS n FROM "MailMessage" WHERE "disclosureId" = $1`,
  [notice.id],
);
await productDb.end();
if (count[0].n !== N) throw new Error(`the product queued ${count[0].n} messages for ${N} customers`);

const ratio = product / floor;
console.log(`\nnotice to ${N.toLocaleString('en-US')} customers (notify ALL, one message each)`);
console.log(`  floor    one hand-written INSERT … SELECT       ${floor.toFixed(1).padStart(6)} s`);
console.log(`  product  Firebreak notice mail (${chunks} chunks)   ${product.toFixed(1).padStart(6)} s`);
console.log(
  `  ratio    product / floor                        ${ratio.toFixed(2).padStart(6)}    (target <= 1.5) ${ratio <= 1.5 ? 'OK' : 'ABOVE TARGET'}`,
);

await admin.end();
await server?.stop();
