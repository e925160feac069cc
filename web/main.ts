// The web process: Next's request handler behind a plain Node HTTP server that answers the public
// status page's GETs itself, from the in-memory snapshot (lib/status), before Next's router sees
// them. On a breach day everyone opens /status at once; Next's route machinery alone costs more
// than twice what serving a static file does (bench/status.ts), and this path costs about as much
// as a static file. So does the credential-status API called with a token (web/direct-api.ts: the
// login wave after a reset). Everything else — the console, the rest of the API, the POSTs of the
// public forms — goes to Next unchanged; `next start` serves the same pages and routes itself.
// Every request is logged as one JSON line with its id (lib/log.ts).
//
//   tsx --tsconfig tsconfig.node.json web/main.ts -p 3000 [-H 127.0.0.1]   (as `next start`; the launcher runs it)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import next from 'next';
import { accessLog, logger, logPath } from '@/lib/log';
import { BASELINE, send } from './http';

(process.env as Record<string, string>).NODE_ENV = 'production';
const arg = (flag: string) => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const port = Number(arg('-p') ?? process.env.PORT ?? 3000);
const hostname = arg('-H');

const app = next({ dev: false, dir: process.cwd(), port, hostname: hostname ?? 'localhost' });
const handle = app.getRequestHandler();
await app.prepare();
const { publicGet } = await import('@/lib/status/pages');
const { directApi } = await import('./direct-api');

async function servePublic(serve: (request: Request) => Promise<Response>, req: IncomingMessage, res: ServerResponse) {
  const headers = new Headers();
  for (const name of ['if-none-match', 'if-modified-since', 'accept']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  // The URL from the path alone: what a page says never depends on the Host header a client sends.
  const request = new Request(new URL(req.url ?? '/', 'http://localhost'), { method: req.method, headers });
  await send(res, await serve(request), req.method);
}

const log = logger('web');

createServer((req, res) => {
  accessLog(log, req, res);
  const path = (req.url ?? '/').split('?')[0];
  const api = directApi(req, path);
  const page = !api && (req.method === 'GET' || req.method === 'HEAD') && publicGet(path);
  const answer = api ?? (page ? () => servePublic(page, req, res) : null);
  if (!answer) return void handle(req, res);
  answer(req, res).catch((error: Error) => {
    log.error(
      { reqId: req.headers['x-request-id'], method: req.method, path: logPath(path), err: error },
      api ? 'direct API failed' : 'public page failed',
    );
    // The API answers in its own error shape; a page in words.
    if (!res.headersSent) res.writeHead(500, { ...BASELINE, 'content-type': api ? 'application/json' : 'text/plain' });
    res.end(
      api
        ? JSON.stringify({ error: 'internal', message: 'Something went wrong on the server; it has been logged.' })
        : 'Internal error',
    );
  });
}).listen(port, hostname, () => log.info(`listening on http://${hostname ?? 'localhost'}:${port}`));
