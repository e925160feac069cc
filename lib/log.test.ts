// Structured logs: JSON lines with request ids, and nothing secret in them — the credentials a
// request or an error can carry are tried against the real logger and the real access log.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, createLogger, logger, logPath, requestId, scrub } from '@/lib/log';

const SECRETS = ['fbk_Zm9vYmFyYmF6cXV4', 'r3setT0kenAbCdEf0123', 'hunter2-password', 'whsec_c2VjcmV0', 'sess-9f8e7d'];

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { log: createLogger(stream), lines, raw };
}

describe('what a log line may not contain', () => {
  it('free text: Bearer and API tokens, reset and subscription links, secret parameters, URL passwords', () => {
    const cases: [string, string][] = [
      [`Authorization: Bearer ${SECRETS[0]}`, 'Authorization: Bearer [redacted]'],
      [`token ${SECRETS[0]} refused`, 'token fbk_[redacted] refused'],
      [`https://x.example/account/reset/${SECRETS[1]}?a=1`, 'https://x.example/account/reset/[redacted]?a=1'],
      ['/status/confirm/abc.def', '/status/confirm/[redacted]'],
      [`login?email=a@b.c&password=${SECRETS[2]}&x=1`, 'login?email=a@b.c&password=[redacted]&x=1'],
      [`smtp://relay-user:${SECRETS[2]}@relay:587`, 'smtp://relay-user:[redacted]@relay:587'],
      [
        '/cb?code=c0de&state=s&client_secret=cl1ent&access_token=acc&id_token=eyJ&api_key=k3y',
        '/cb?code=[redacted]&state=s&client_secret=[redacted]&access_token=[redacted]&id_token=[redacted]&api_key=[redacted]',
      ],
      ['nothing secret here: INC-2026-0001', 'nothing secret here: INC-2026-0001'],
    ];
    for (const [input, expected] of cases) expect(scrub(input)).toBe(expected);
    expect(logPath(`/account/reset/${SECRETS[1]}?token=${SECRETS[1]}`)).toBe('/account/reset/[redacted]');
  });

  it('fields, messages and errors written through the logger', () => {
    const { log, lines, raw } = capture();
    const child = logger('api', log);
    child.info(
      {
        password: SECRETS[2],
        request: {
          headers: { authorization: `Bearer ${SECRETS[0]}`, cookie: `next-auth.session-token=${SECRETS[4]}` },
        },
        webhook: { secret: SECRETS[3] },
        link: `https://x.example/account/reset/${SECRETS[1]}`,
      },
      `mailed https://x.example/account/reset/${SECRETS[1]}`,
    );
    child.warn({ a: { b: { c: { d: { e: { f: { g: { h: `Bearer ${SECRETS[0]}` } } } } } } } }, 'deep');
    child.error(
      { err: new Error(`SMTP refused at smtp://u:${SECRETS[2]}@relay with Bearer ${SECRETS[0]}`) },
      'send failed',
    );
    expect(lines).toHaveLength(3);
    for (const line of raw) for (const secret of SECRETS) expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({ level: 'info', service: 'api', password: '[redacted]' });
    expect(lines[2]).toMatchObject({ level: 'error', msg: 'send failed', err: { type: 'Error' } });
    expect((lines[2].err as { stack: string }).stack).toContain('log.test.ts');
  });
});

describe('the access log of an HTTP request', () => {
  const { log, lines, raw } = capture();
  let base = '';
  const server = createServer((req, res) => {
    accessLog(log, req, res);
    res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'text/plain' });
    res.end(`handler saw ${req.headers['x-request-id']}`);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('one JSON line per request with its id, status and time; the id reaches the handler and the client', async () => {
    const response = await fetch(`${base}/account/reset/${SECRETS[1]}?token=${SECRETS[1]}`, {
      headers: { authorization: `Bearer ${SECRETS[0]}`, cookie: `session=${SECRETS[4]}` },
    });
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).toBe(`handler saw ${id}`);
    await settle();
    const line = lines.find((l) => l.reqId === id)!;
    expect(line).toMatchObject({ level: 'info', method: 'GET', status: 200, path: '/account/reset/[redacted]' });
    expect(typeof line.ms).toBe('number');
    for (const entry of raw) for (const secret of SECRETS) expect(entry).not.toContain(secret);
  });

  it("a proxy's request id is kept; one that is not an id is replaced", async () => {
    const kept = await fetch(`${base}/missing`, { headers: { 'x-request-id': 'edge-4f2a91c0' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-4f2a91c0');
    const replaced = await fetch(`${base}/x`, { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('bad');
    await settle();
    expect(lines.find((l) => l.reqId === 'edge-4f2a91c0')).toMatchObject({ status: 404, path: '/missing' });
    expect(requestId(['a', 'b'])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('health checks and static assets are debug, below the default level', async () => {
    const before = lines.length;
    await fetch(`${base}/api/v1/health`);
    await fetch(`${base}/_next/static/chunk.js`);
    await settle();
    expect(lines.length).toBe(before);
  });
});
