// The job queue (pg-boss) lives in the application database, in its own schema. Its tables and
// functions are installed by the schema owner together with the migrations (prepareDatabase in
// lib/db/prepare.ts), and its queues are created there too: creating a queue creates a table, which
// the least-privilege role of the web app and worker may not do (lib/db/roles.ts). The worker
// then starts pg-boss with `migrate: false`.
// Not server-only: the launcher, the CLI and the tests use it.
import PgBoss from 'pg-boss';
import { JOB_QUEUE_SCHEMA } from './roles';

/** Every queue a worker consumes. A new job adds its name here. */
export const JOB_QUEUES = {
  verifyAuditChain: 'audit.verify-chain',
} as const;

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
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
