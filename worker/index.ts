// The worker process: pg-boss on the application database runs background and recurring jobs.
// Any number of workers may run against one PostgreSQL; pg-boss hands each job to one of them.
import PgBoss from 'pg-boss';
import { requireDatabaseUrl } from '@/lib/config';
import { disconnectDb } from '@/lib/db';
import { startHeartbeat } from './heartbeat';
import { VERIFY_AUDIT_CHAIN, VERIFY_AUDIT_CHAIN_CRON, verifyAuditChainJob } from './jobs/verify-audit-chain';

export type Worker = { boss: PgBoss; stop(): Promise<void> };

export async function startWorker(options: { log?: (line: string) => void } = {}): Promise<Worker> {
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const boss = new PgBoss({ connectionString: requireDatabaseUrl(), schema: 'pgboss', max: 4 });
  boss.on('error', (error) => log(`pg-boss error: ${error.message}`));
  await boss.start();

  await boss.createQueue(VERIFY_AUDIT_CHAIN);
  await boss.schedule(VERIFY_AUDIT_CHAIN, VERIFY_AUDIT_CHAIN_CRON);
  await boss.work(VERIFY_AUDIT_CHAIN, async () => {
    const result = await verifyAuditChainJob();
    log(result.ok ? `audit chain verified (${result.checked} events)` : `audit chain BROKEN at ${result.seq}`);
  });

  const heartbeat = startHeartbeat();
  await heartbeat.first;
  log('started');
  return {
    boss,
    async stop() {
      await heartbeat.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await disconnectDb();
    },
  };
}
