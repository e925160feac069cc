// postinstall: generate the Prisma client. `prisma generate` never runs the schema engine, but the
// Prisma 7 CLI still tries to download it when it is missing, which fails on machines without
// internet (README, "Database migrations"). Pointing it at an existing file skips the download;
// we only do so when the real engine is absent, so connected machines behave as usual.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const enginesDir = join(root, 'node_modules/@prisma/engines');
const hasEngine = existsSync(enginesDir) && readdirSync(enginesDir).some((file) => file.startsWith('schema-engine'));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!hasEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = '/bin/false';
const result = spawnSync(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
