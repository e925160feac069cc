// A real worker process (worker/main.ts under tsx) for crash tests: its own process group, so a
// SIGKILL takes tsx's child with it, and every one started is killed when its test ends (a worker
// left running would compete for the next test's mail).
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const started: ChildProcess[] = [];
afterEach(async () => {
  const running = started.splice(0).filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          killWorker(child);
        }),
    ),
  );
});

/** The worker's last lines of output (stdout and stderr), for a failing test's message. */
const outputs = new WeakMap<ChildProcess, string[]>();
export const workerOutput = (child: ChildProcess) => (outputs.get(child) ?? []).join('');

export function startWorkerProcess(env: NodeJS.ProcessEnv): ChildProcess {
  const root = process.cwd();
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      '--tsconfig',
      join(root, 'tsconfig.node.json'),
      join(root, 'worker/main.ts'),
    ],
    {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  outputs.set(child, lines);
  const keep = (chunk: Buffer) => {
    lines.push(chunk.toString());
    if (lines.length > 200) lines.shift();
    if (process.env.FIREBREAK_TEST_WORKER_OUTPUT) process.stderr.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  started.push(child);
  return child;
}

/** SIGKILL the whole process group, as a crash or an OOM kill would. */
export function killWorker(child: ChildProcess) {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}
