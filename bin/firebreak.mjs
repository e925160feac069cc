#!/usr/bin/env node
// Runs the TypeScript CLI (cli/index.ts) with tsx, resolving `server-only` as Next's server does.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const child = spawn(
  process.execPath,
  [tsx, '--tsconfig', join(root, 'tsconfig.node.json'), join(root, 'cli/index.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { NEXT_TELEMETRY_DISABLED: '1', ...process.env },
  },
);
child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
