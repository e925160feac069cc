// npm run bench:mail [-- N]   (BENCH_ROUNDS, default 5; MAIL_CONCURRENCY, default 5)
// Mail dispatch throughput against its floor, in one run and on one machine:
//   floor:   plain nodemailer pooled sending of N one-recipient messages at concurrency C
//   product: the same N messages queued in the outbox and sent by the dispatcher (claim, per-
//            message transaction with the stream lock and row lock, SENT update) at concurrency C
// Both send to the same loopback SMTP sink (in-memory store, so the sink costs both the same).
// Then freeze under load: with sends in flight, how long freezeMail takes to return, and how many
// messages the sink accepted after it returned (must be 0).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { memoryStore, startSmtpSink } from '@/lib/mail/sink';

const N = Number(process.argv[2] ?? 5000);
const C = Number(process.env.MAIL_CONCURRENCY ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FROM = 'Firebreak Security <security@firebreak.bench>';

const dataDir = join(process.cwd(), '.data/bench-mail');
rmSync(dataDir, { recursive: true, force: true });
const server = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir, port: 54359 });
const adminUrl = process.env.DATABASE_URL ?? server!.adminUrl;
const pg = (await import('pg')).default;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS firebreak_bench_mail WITH (FORCE)');
await admin.query('CREATE DATABASE firebreak_bench_mail');
await admin.end();
const url = new URL(adminUrl);
url.pathname = '/firebreak_bench_mail';
process.env.DATABASE_URL = url.toString();
await migrate(process.env.DATABASE_URL);

const { createDispatcher } = await import('@/lib/mail/dispatcher');
const { enqueueMany } = await import('@/lib/mail/outbox');
const { freezeMail } = await import('@/lib/mail/freeze');
const { systemActor } = await import('@/lib/auth/actor');
const { db, disconnectDb } = await import('@/lib/db');

const store = memoryStore();
const sink = await startSmtpSink({ port: 0, store });
const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
const until = async (probe: () => boolean | Promise<boolean>) => {
  while (!(await probe())) await new Promise((resolve) => setTimeout(resolve, 2));
};

async function floor(count: number, tag: string) {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: C, maxMessages: Infinity });
  const before = store.messages.length;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({
          from: FROM,
          to: `user${i}@${tag}.example`,
          envelope: { from: FROM, to: [`user${i}@${tag}.example`] },
          subject: `Reset your password (${i})`,
          text: `Hello user ${i}`,
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  if (store.messages.length - before !== count) throw new Error('floor: sink count mismatch');
  return count / seconds;
}

async function queue(count: number, tag: string, stream: 'SECURITY' | 'TRANSACTIONAL' = 'SECURITY') {
  const messages = Array.from({ length: count }, (_, i) => ({
    to: `user${i}@${tag}.example`,
    subject: `Reset your password (${i})`,
    text: `Hello user ${i}`,
    idempotencyKey: `${tag}:${i}`,
  }));
  for (let i = 0; i < count; i += 5000) await enqueueMany(stream, messages.slice(i, i + 5000));
}

/** The dispatcher as both measurements run it. */
const benchDispatcher = () =>
  createDispatcher({
    databaseUrl: process.env.DATABASE_URL!,
    smtpUrl,
    from: FROM,
    concurrency: C,
    batchSize: 2000,
    idleMs: 5,
  });

async function product(count: number, tag: string) {
  await queue(count, tag);
  const before = store.messages.length;
  const dispatcher = benchDispatcher();
  const started = performance.now();
  dispatcher.start();
  await until(() => store.messages.length - before >= count);
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.stop();
  const sent = await db.mailMessage.count({ where: { status: 'SENT', idempotencyKey: { startsWith: `${tag}:` } } });
  if (sent !== count) throw new Error(`product: ${sent} SENT of ${count}`);
  return count / seconds;
}

// Warm up both paths (JIT, connections), then measure in alternating rounds: this machine's speed
// drifts by tens of percent within a minute, so one floor run against one product run said
// little. Each round's ratio compares neighbours; the median round is reported.
await floor(300, 'warm-floor');
await product(300, 'warm-product');
const rounds: { floor: number; product: number; ratio: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const floorRound = await floor(N, `floor${round}`);
  const productRound = await product(N, `product${round}`);
  rounds.push({ floor: floorRound, product: productRound, ratio: productRound / floorRound });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floorRate = median(rounds.map((r) => r.floor));
const productRate = median(rounds.map((r) => r.product));

// Freeze under load.
await queue(N, 'freeze');
const dispatcher = benchDispatcher();
const before = store.messages.length;
dispatcher.start();
await until(() => store.messages.length - before >= Math.min(1000, N / 5));
const freezeStarted = performance.now();
await freezeMail(systemActor('bench'), { streams: ['SECURITY'], reason: 'benchmark: freeze under load' });
const freezeMs = performance.now() - freezeStarted;
const atReturn = store.messages.length;
await new Promise((resolve) => setTimeout(resolve, 1500));
const afterFreeze = store.messages.length - atReturn;
await dispatcher.stop();

const ratio = median(rounds.map((r) => r.ratio));
console.log(`\nmail dispatch, N=${N} × ${ROUNDS} rounds, concurrency=${C}, loopback SMTP sink (medians)`);
console.log(`  rounds  product / floor             ${rounds.map((r) => r.ratio.toFixed(2)).join(' ')}`);
console.log(`  floor   plain nodemailer pool      ${floorRate.toFixed(0).padStart(6)} msg/s`);
console.log(`  product Firebreak dispatcher        ${productRate.toFixed(0).padStart(6)} msg/s`);
console.log(
  `  ratio   product / floor             ${ratio.toFixed(2).padStart(6)}   (target >= 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(
  `  freeze  returned in                 ${freezeMs.toFixed(0).padStart(6)} ms (target < 1000) ${freezeMs < 1000 ? 'OK' : 'BELOW TARGET'}`,
);
console.log(
  `  freeze  accepted after it returned  ${String(afterFreeze).padStart(6)}     (must be 0) ${afterFreeze === 0 ? 'OK' : 'FAILED'}`,
);

await disconnectDb();
await sink.stop();
await server?.stop();
process.exit(afterFreeze === 0 ? 0 : 1);
