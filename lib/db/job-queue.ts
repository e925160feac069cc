// The job queue (pg-boss) lives in the application database, in its own schema. Its tables and
// functions are installed by the schema owner together with the migrations (prepareDatabase in
// lib/db/prepare.ts), and its queues and schedules are made there too: creating a queue creates a
// table, which the least-privilege role of the web app and worker may not do, and the app only
// reads pg-boss's control tables (lib/db/roles.ts). The worker starts pg-boss with `migrate: false`.
// Not server-only: the launcher, the CLI and the tests use it.
import PgBoss from 'pg-boss';
import { JOB_QUEUE_SCHEMA } from './roles';

/** Every queue a worker consumes. A new job adds its name here. */
export const JOB_QUEUES = {
  verifyAuditChain: 'audit.verify-chain',
} as const;

/** Recurring jobs (queue → cron), scheduled by the owner with the queues: the app may not change schedules. */
export const SCHEDULES: Record<string, string> = {
  [JOB_QUEUES.verifyAuditChain]: '*/5 * * * *',
};

/** The pg-boss options every process uses, so owner and app agree on the schema. */
export function jobQueueOptions(connectionString: string): PgBoss.ConstructorOptions {
  return { connectionString, schema: JOB_QUEUE_SCHEMA };
}

/** Installs or upgrades pg-boss's schema and creates the queues. Run as the schema owner. */
export async function installJobQueue(ownerUrl: string) {
  const boss = new PgBoss({ ...jobQueueOptions(ownerUrl), max: 1, migrate: true, supervise: false, schedule: false });
  boss.on('error', () => {}); // start() rejects with the same error
  await boss.start();
  try {
    for (const name of Object.values(JOB_QUEUES)) await boss.createQueue(name);
    for (const [name, cron] of Object.entries(SCHEDULES)) await boss.schedule(name, cron);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
