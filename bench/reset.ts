// npm run bench:reset [-- N]
// A mandatory reset of N (default 1,000,000) customers, in one run on one machine:
//   effect:  time from the approval call until an old session of the cohort is refused
//   product: the worker's fan-out (set-based chunks: flag and revoke sessions in one update of the
//            customer row, revoke API keys, tokens, one outbox row each) until the campaign is COMPLETED
//   floor:   the same writes as one hand-written set-based SQL script on an identical copy
//   logins:  customer logins/s during the post-reset wave (old-password refusals and new-password
//            successes, half each) against argon2id verification alone, same concurrency
// Both write runs start from copies of one seeded database (CREATE DATABASE … TEMPLATE).
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { EMBEDDED_SETTINGS, startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';

const N = Number(process.argv[2] ?? 1_000_000);
const LOGIN_CONCURRENCY = 8;
const ROUNDS = 5;
const LOGINS_PER_ROUND = 100;
const OLD = 'old-password-before-the-leak';
const NEW = 'a new passphrase after the reset';

const dataDir = join(process.cwd(), '.data/bench-reset');
rmSync(dataDir, { recursive: true, force: true });
const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir, port: 54369 });
console.log(
  server
    ? `embedded PostgreSQL with ${Object.entries(EMBEDDED_SETTINGS)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`
    : 'PostgreSQL at DATABASE_URL',
);
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
for (const name of ['bench_reset_seed', 'bench_reset_floor', 'bench_reset_product'])
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query('CREATE DATABASE bench_reset_seed');
await migrate(urlOf('bench_reset_seed'));

const { hashPassword, verifyPassword } = await import('@/lib/auth/passwords');
const time = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
};

// Seed: N customers with the old password, a session each and an API key for every fifth, plus
// 1,000 customers who will have changed their password after the reset (the successes of the wave).
const seed = new pg.Client({ connectionString: urlOf('bench_reset_seed') });
await seed.connect();
const oldHash = await hashPassword(OLD);
const newHash = await hashPassword(NEW);
const seeded = await time(async () => {
  await seed.query(
    `INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "twoFactorEnabled", "hasBalance", "credentialsChangedAt")
     SELECT gen_random_uuid(), 'c' || g, 'c' || g || '@bench.example', $1, g % 3 = 0, g % 2 = 0, now() - interval '90 days' FROM generate_series(1, $2::int) g`,
    [oldHash, N],
  );
  await seed.query(
    `INSERT INTO "CustomerSession" (id, "customerId", "tokenHash", "createdAt") SELECT gen_random_uuid(), id, md5(id::text) || md5(random()::text), now() - interval '1 day' FROM "Customer"`,
  );
  await seed.query(
    `INSERT INTO "CustomerApiKey" (id, "customerId", "keyHash", label) SELECT gen_random_uuid(), id, md5(id::text) || md5(random()::text), 'bot' FROM "Customer" WHERE right("externalId", 1) IN ('0', '5')`,
  );
  await seed.query('VACUUM ANALYZE');
});
await seed.end();
console.log(`seeded ${N.toLocaleString('en-US')} customers, sessions and API keys in ${seeded.seconds.toFixed(1)} s`);
await admin.query('CREATE DATABASE bench_reset_floor TEMPLATE bench_reset_seed');
await admin.query('CREATE DATABASE bench_reset_product TEMPLATE bench_reset_seed');

// Floor: the same writes, hand-written, one set-based statement each, in customer id order (as
// the fan-out writes them), with the same mail text and time-ordered outbox ids.
const { resetMail } = await import('@/lib/resets/fanout');
const floorDb = new pg.Client({ connectionString: urlOf('bench_reset_floor') });
await floorDb.connect();
const campaignId = '00000000-0000-4000-8000-000000000001';
const floor = await time(async () => {
  await floorDb.query('BEGIN');
  await floorDb.query(
    `UPDATE "Customer" SET "mustResetPassword" = true, "sessionsRevokedBefore" = now() WHERE status = 'ACTIVE'`,
  );
  await floorDb.query(`UPDATE "CustomerApiKey" SET "revokedAt" = now() WHERE "revokedAt" IS NULL`);
  await floorDb.query(
    `CREATE TEMP TABLE link AS SELECT id, email, encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'base64') AS token FROM "Customer" ORDER BY id`,
  );
  await floorDb.query(
    `INSERT INTO "ResetToken" ("customerId", "campaignId", "tokenHash", "expiresAt")
     SELECT id, $1, encode(sha256(token::bytea), 'hex'), now() + interval '72 hours' FROM link ORDER BY id`,
    [campaignId],
  );
  await floorDb.query(
    `INSERT INTO "MailMessage" (id, stream, "to", subject, text, "idempotencyKey", "messageId", "campaignId")
     SELECT uuidv7(), 'SECURITY', email, 'Your password has been reset — action required', replace($2, '{link}', 'http://localhost:3000/account/reset/' || token),
            'reset:' || $1 || ':' || id, '<' || md5(id::text) || '@firebreak.mail>', $1::uuid FROM link ORDER BY id`,
    [campaignId, resetMail('{link}', 'INC-2026-0001', 72)],
  );
  await floorDb.query('COMMIT');
});
await floorDb.end();

// Product: request, approve, and the worker's fan-out, on the other copy.
process.env.DATABASE_URL = urlOf('bench_reset_product');
const { systemActor } = await import('@/lib/auth/actor');
const { createStaff } = await import('@/lib/staff');
const { declareIncident } = await import('@/lib/incidents');
const { requestReset, approveReset } = await import('@/lib/resets');
const { createResetRunner } = await import('@/lib/resets/fanout');
const { checkCustomerSession, customerLogin } = await import('@/lib/customers/auth');
const { db, disconnectDb } = await import('@/lib/db');

const staff = async (email: string) => {
  const { user } = await createStaff(systemActor('bench'), {
    email,
    name: email,
    role: 'SECURITY',
    password: 'bench-password-123',
  });
  return {
    kind: 'staff' as const,
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    via: 'session' as const,
  };
};
const requester = await staff('requester@bench.example');
const approver = await staff('approver@bench.example');
const incident = await declareIncident(requester, {
  title: 'Bench leak',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'bench',
});
const campaign = await requestReset(requester, incident.id, {
  scope: 'ALL',
  revokeSessions: true,
  revokeApiKeys: true,
  sendMail: true,
});

// A known session token of one customer, created before approval.
const sessionToken = randomBytes(32).toString('base64url');
const someone = await db.customer.findFirstOrThrow({ where: { externalId: 'c12345' } });
await db.customerSession.create({
  data: { customerId: someone.id, tokenHash: createHash('sha256').update(sessionToken).digest('hex') },
});
await checkCustomerSession(sessionToken); // works before approval

const effect = await time(async () => {
  await approveReset(approver, campaign.id);
  try {
    await checkCustomerSession(sessionToken);
    throw new Error('the old session still works after approval');
  } catch (error) {
    if ((error as { code?: string }).code !== 'password_reset_required') throw error;
  }
});

const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL, pollMs: 50 });
const product = await time(async () => {
  await runner.start();
  while ((await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).status !== 'COMPLETED')
    await new Promise((r) => setTimeout(r, 100));
});
await runner.stop();
const done = await db.resetCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
if (done.processedCount !== N || done.mailedCount !== N)
  throw new Error(`fan-out counts: ${done.processedCount} processed, ${done.mailedCount} mailed`);

// The post-reset wave: new customers (credentials changed after the reset) succeed, old ones are refused.
await db.$executeRaw`INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "credentialsChangedAt")
  SELECT gen_random_uuid(), 'n' || g, 'n' || g || '@bench.example', ${newHash}, now() FROM generate_series(1, 1000) g`;
// Both sides are measured in alternating rounds, so that background work (autovacuum after a
// million updates, the dispatcher of a real deployment) weighs on each alike.
async function wave(from: number, work: (i: number) => Promise<unknown>) {
  let next = from;
  const { seconds } = await time(() =>
    Promise.all(
      Array.from({ length: LOGIN_CONCURRENCY }, async () => {
        while (next < from + LOGINS_PER_ROUND) await work(next++);
      }),
    ),
  );
  return seconds;
}
let refused = 0;
let succeeded = 0;
let verifySeconds = 0;
let loginSeconds = 0;
for (let round = 0; round < ROUNDS; round++) {
  const from = round * LOGINS_PER_ROUND;
  verifySeconds += await wave(from, (i) => verifyPassword(i % 2 ? oldHash : newHash, i % 2 ? OLD : NEW));
  loginSeconds += await wave(from, async (i) => {
    try {
      await customerLogin(
        i % 2
          ? { email: `c${i + 1}@bench.example`, password: OLD }
          : { email: `n${i + 1}@bench.example`, password: NEW },
      );
      succeeded++;
    } catch (error) {
      if ((error as { code?: string }).code !== 'password_reset_required') throw error;
      refused++;
    }
  });
}
const verifyRate = (ROUNDS * LOGINS_PER_ROUND) / verifySeconds;
const loginRate = (ROUNDS * LOGINS_PER_ROUND) / loginSeconds;

const ratio = product.seconds / floor.seconds;
const loginRatio = loginRate / verifyRate;
console.log(
  `\nmandatory reset, ${N.toLocaleString('en-US')} customers (sessions revoked, ${Math.round(N / 5).toLocaleString('en-US')} API keys revoked, one token and one mail each)`,
);
console.log(
  `  effect   approval → old session refused   ${(effect.seconds * 1000).toFixed(0).padStart(7)} ms   (target < 5000) ${effect.seconds < 5 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(`  floor    hand-written set-based SQL       ${floor.seconds.toFixed(1).padStart(7)} s`);
console.log(
  `  product  Firebreak fan-out (${done.chunksDone} chunks)    ${product.seconds.toFixed(1).padStart(7)} s    (target < 60 s) ${product.seconds < 60 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(
  `  ratio    product / floor                  ${ratio.toFixed(2).padStart(7)}      (target <= 1.5) ${ratio <= 1.5 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(`  logins   argon2id verify alone            ${verifyRate.toFixed(0).padStart(7)} /s`);
console.log(
  `  logins   customer login (${refused} refused, ${succeeded} ok) ${loginRate.toFixed(0).padStart(5)} /s  ratio ${loginRatio.toFixed(2)} (target >= 0.8) ${loginRatio >= 0.8 ? 'OK' : 'BELOW TARGET'}`,
);

await disconnectDb();
await admin.end();
await server?.stop();
process.exit(0);
