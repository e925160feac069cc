// Entry of the worker process (`npm run worker`; started by `npm start` beside the web app).
import { hostname } from 'node:os';
import { logger } from '@/lib/log';
import { startWorker } from './index';

// Every connection of this process (Prisma, pg-boss, the dispatcher, the fan-out) names it in
// pg_stat_activity, so a DBA can tell workers apart. An explicit PGAPPNAME wins.
process.env.PGAPPNAME ??= `firebreak-worker ${hostname()}:${process.pid}`;
const log = logger('worker');

// A stray rejection (a bug) is logged with its stack, not allowed to stop a worker that may be in
// the middle of SMTP transactions: its loops carry on, and killing it would leave mail uncertain.
process.on('unhandledRejection', (reason) => {
  log.error({ err: reason }, 'unhandled rejection (a bug; the worker carries on)');
});

const worker = await startWorker().catch((error) => {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop().catch((error) => log.error({ err: error }, 'stop failed'));
    process.exit(0);
  });
}
