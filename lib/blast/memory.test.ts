// A mail log of 1,000,000 messages imports in bounded memory: the CLI runs it in a child process
// whose V8 heap is capped well below the log's size, and reports its peak resident memory.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { declaredIncident } from '../../test/fixtures';

const MESSAGES = 1_000_000;
/** The heap cap of the importing process, and the bound on its whole resident memory. */
const HEAP_MIB = 128;
const RSS_BOUND_MIB = 200;

const dir = mkdtempSync(join(tmpdir(), 'firebreak-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeLog(path: string) {
  const out = createWriteStream(path);
  for (let i = 1; i <= MESSAGES; i++) {
    // Pairs of people in To, one in Bcc: everyone in To is exposed to two others.
    const line = `{"messageId":"<m${i}@tool.example>","time":"2019-11-01T12:00:00Z","from":"news@exchange.example","to":"\\"Customer ${i}, Jr.\\" <mem${i}@customers.example>, mem${i + MESSAGES}@customers.example","bcc":"archive${i % 7}@exchange.example"}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('mail log import memory', () => {
  it(`imports ${MESSAGES.toLocaleString('en-US')} messages with a ${HEAP_MIB} MiB heap, under ${RSS_BOUND_MIB} MiB resident`, async () => {
    const { incident } = await declaredIncident();
    const path = join(dir, 'log.jsonl');
    await writeLog(path);
    const size = statSync(path).size / 2 ** 20;
    expect(size).toBeGreaterThan(RSS_BOUND_MIB); // the log could not fit in the bound
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(process.cwd(), 'bin/firebreak.mjs'),
        'incidents',
        'import-mail-log',
        '--incident',
        incident.reference,
        path,
      ],
      { env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}` }, maxBuffer: 1 << 20 },
    );
    expect(stdout).toContain(
      `imported ${MESSAGES.toLocaleString('en-US')} messages (0 already imported, 0 malformed lines skipped)`,
    );
    expect(stdout).toContain(`exposed: ${(2 * MESSAGES).toLocaleString('en-US')} addresses`);
    const peak = Number(/peak memory (\d+) MiB/.exec(stdout)?.[1]);
    console.log(`log ${size.toFixed(0)} MiB; importing process peak ${peak} MiB resident`);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(RSS_BOUND_MIB);
    expect(await db.mailLogMessage.count({ where: { incidentId: incident.id } })).toBe(MESSAGES);
  }, 300_000);
});
