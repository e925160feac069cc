// Entry of the worker process (`npm run worker`; started by `npm start` beside the web app).
import { startWorker } from './index';

const worker = await startWorker();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop().catch((error) => console.error('[worker] stop failed:', error));
    process.exit(0);
  });
}
