// `next build`, unless the build is newer than every input (scripts/lib/build.ts). Part of
// `npm run test:e2e`: the canary and the browser tests then share one build.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { needsBuild } from './lib/build';
import { ROOT } from './lib/database';

if (needsBuild(ROOT)) {
  const { status } = spawnSync(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  process.exit(status ?? 1);
}
console.log('[firebreak] the web app build is up to date (next build skipped)');
