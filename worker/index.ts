// The worker process: pg-boss on the application database runs background and recurring jobs.
// Any number of workers may run against one PostgreSQL; pg-boss hands each job to one of them.
import PgBoss from 'pg-boss';
import { startClockWatch } from '@/lib/clocks/watch';
import { config, publicUrl, requireDatabaseUrl } from '@/lib/config';
import { disconnectDb } from '@/lib/db';
import { JOB_QUEUES, jobQueueOptions } from '@/lib/db/job-queue';
import { createPgClient } from '@/lib/db/pg';
import { currentPrivileges } from '@/lib/db/roles';
import { noticeUrls } from '@/lib/disclosures';
import { createNoticeRunner } from '@/lib/disclosures/notify';
import { logger } from '@/lib/log';
import { createDispatcher } from '@/lib/mail/dispatcher';
import { sinkDeliveryCheck } from '@/lib/mail/sink';
import { startTallyFolding } from '@/lib/mail/tally';
import { createResetRunner } from '@/lib/resets/fanout';
import { createWebhookDeliverer } from '@/lib/webhooks/deliver';
import { startHeartbeat } from './heartbeat';
import { verifyAuditChainJob } from './jobs/verify-audit-chain';

export type Worker = { boss: PgBoss; stop(): Promise<void> };

export async function startWorker(options: { log?: (line: string) => void } = {}): Promise<Worker> {
  const workerLog = logger('worker');
  const log = options.log ?? ((line: string) => workerLog.info(line));
  // Reset mail carries links to the console: without its public URL every link would point at
  // http://localhost:3000 on the customer's own machine. `npm start` sets it; a worker run on its
  // own must be told.
  if (config().SMTP_URL && !publicUrl()) {
    throw new Error(
      "Set FIREBREAK_PUBLIC_URL (or NEXTAUTH_URL) to the console's public URL: the reset links this worker mails point there.",
    );
  }
  // pg-boss's schema and queues are installed by the schema owner (lib/db/job-queue.ts): the
  // worker's role may not create tables.
  const boss = new PgBoss({ ...jobQueueOptions(requireDatabaseUrl()), max: 4, migrate: false });
  boss.on('error', (error) => log(`pg-boss error: ${error.message}`));
  await boss.start();
  await warnIfPrivileged(log);

  await boss.work(JOB_QUEUES.verifyAuditChain, async () => {
    const result = await verifyAuditChainJob();
    log(result.ok ? `audit chain verified (${result.checked} events)` : `audit chain BROKEN at ${result.seq}`);
  });
  // A first check now (one for all workers starting together), so the Audit page has a result
  // before the schedule's next turn.
  await boss.send(JOB_QUEUES.verifyAuditChain, {}, { singletonKey: 'at-start', singletonSeconds: 60 });

  // Outbound mail: a continuous dispatch loop, not a job per message (pg-boss polling would cap
  // throughput); several workers share the outbox through FOR UPDATE SKIP LOCKED.
  const settings = config();
  const check =
    settings.SMTP_URL && settings.SMTP_DELIVERY_CHECK === 'sink' ? sinkDeliveryCheck(requireDatabaseUrl()) : null;
  const dispatcher = settings.SMTP_URL
    ? createDispatcher({
        databaseUrl: requireDatabaseUrl(),
        smtpUrl: settings.SMTP_URL,
        from: settings.MAIL_FROM,
        concurrency: settings.MAIL_CONCURRENCY,
        ratePerSecond: settings.MAIL_RATE_PER_SECOND,
        batchSize: settings.MAIL_BATCH_SIZE,
        maxAttempts: settings.MAIL_MAX_ATTEMPTS,
        retryBaseMs: settings.MAIL_RETRY_BASE_MS,
        leaseMs: settings.MAIL_LEASE_SECONDS * 1000,
        deliveryCheck: check?.check,
        log: (line) => log(`mail: ${line}`),
      })
    : null;
  dispatcher?.start();
  if (!dispatcher) log('SMTP_URL is not set: outbound mail stays queued');

  // Mandatory resets: fan out every approved campaign, one worker per campaign at a time.
  const resets = createResetRunner({ databaseUrl: requireDatabaseUrl(), log: (line) => log(`resets: ${line}`) });
  await resets.start();

  // Published notices mailed to customers (notify AFFECTED or ALL), in chunks.
  const notices = createNoticeRunner({
    databaseUrl: requireDatabaseUrl(),
    verifyUrl: () => noticeUrls().verify,
    log: (line) => log(`notices: ${line}`),
  });
  notices.start();

  // Signed webhooks to the exchange's systems (lib/webhooks/deliver.ts): the delivery table is the queue.
  const webhooks = createWebhookDeliverer({
    databaseUrl: requireDatabaseUrl(),
    allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    maxAttempts: settings.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: settings.WEBHOOK_RETRY_BASE_MS,
    timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
    log: (line) => log(`webhooks: ${line}`),
  });
  webhooks.start();
  // Deadlines within the hour become clock.due events (for webhooks and Slack), once each.
  const clocks = startClockWatch({ databaseUrl: requireDatabaseUrl(), log: (line) => log(`clocks: ${line}`) });

  const tally = startTallyFolding({ databaseUrl: requireDatabaseUrl(), log: (line) => log(`mail: ${line}`) });
  const heartbeat = startHeartbeat({ mailSent: () => dispatcher?.sent() ?? 0 });
  // Its first beat failing (the database went away just now) is no reason to stop: it beats again in 5 s.
  await heartbeat.first.catch((error) => log(`first heartbeat failed: ${(error as Error).message}`));
  log('started');
  return {
    boss,
    async stop() {
      await resets.stop();
      await notices.stop();
      await webhooks.stop();
      await clocks.stop();
      await dispatcher?.stop();
      await check?.close();
      await tally.stop();
      await heartbeat.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await disconnectDb();
    },
  };
}

/** Says so loudly when this process could rewrite the audit log (it should connect as the app role). */
async function warnIfPrivileged(log: (line: string) => void) {
  const client = createPgClient('worker', { connectionString: requireDatabaseUrl() });
  await client.connect();
  try {
    const { role, canRewriteAudit } = await currentPrivileges(client);
    if (canRewriteAudit) {
      log(
        `warning: the database role "${role}" can rewrite the audit log; connect as a least-privilege role (README, "Database roles")`,
      );
    }
  } finally {
    await client.end();
  }
}
