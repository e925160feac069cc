// Structured logs: one JSON object a line on stdout (pino), for the web and worker processes alike,
// with the request id a web request carries (`x-request-id`, web/main.ts) wherever it is known.
// Nothing secret is written: credentials in known fields are replaced by "[redacted]" (pino's
// redact), and every string logged is scrubbed of what a secret looks like in free text — a
// Bearer or API token, a reset link's token, a password= or token= parameter — so an error message
// that quotes a URL or a header does not leak one either. LOG_LEVEL sets the threshold (info).
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';
import { configuredLogLevel } from '@/lib/config';

/** Field paths whose values are credentials, wherever they appear in a logged object. */
const REDACT = [
  'password',
  'token',
  'secret',
  'authorization',
  'cookie',
  'sessionToken',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.cookie',
  '*.sessionToken',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  [/\bfbk_[A-Za-z0-9_-]+/g, 'fbk_[redacted]'],
  [/(\/account\/reset\/)[^\s/?#"']+/g, '$1[redacted]'],
  [/(\/status\/(?:confirm|unsubscribe)\/)[^\s/?#"']+/g, '$1[redacted]'],
  // access_token=, client_secret=, api_key=, password=, code= …: any parameter whose name ends so.
  [/([\w.-]*(?:password|passwd|token|secret|code|sig|signature|key)=)[^&\s"']+/gi, '$1[redacted]'],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[redacted]@'], // user:password@ in a URL
];

/** A string with anything that looks like a credential replaced. */
export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[too deep to log]';
  if (value instanceof Error) return scrubDeep(pino.stdSerializers.err(value), depth);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

/** A path as logged: without its query, and with a secret-bearing segment replaced. */
export function logPath(url: string | undefined): string {
  return scrub((url ?? '/').split('?')[0]).slice(0, 300);
}

/** A root logger writing to `destination` (stdout unless a test gives a stream). */
export function createLogger(destination?: DestinationStream): Logger {
  return pino(OPTIONS, destination ?? pino.destination(1));
}

const OPTIONS: pino.LoggerOptions = {
  level: configuredLogLevel(),
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: REDACT, censor: '[redacted]' },
  formatters: {
    level: (label) => ({ level: label }),
    log: (object) => scrubDeep(object) as Record<string, unknown>,
  },
  // Errors are serialised (and scrubbed) by formatters.log above; not a second time.
  serializers: { err: (err: unknown) => err },
  hooks: {
    // The message itself (and printf arguments) goes through the same scrub as the fields.
    logMethod(args, method) {
      method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
    },
  },
};

const root = createLogger();

/** The logger of one part of Firebreak: `service` names it in every line (web, worker, api, …). */
export function logger(service: string, base: Logger = root) {
  return base.child({ service });
}

/** A request id a caller or a proxy sent, if it is one we may repeat; else a fresh one. */
export function requestId(sent: string | string[] | null | undefined): string {
  return typeof sent === 'string' && /^[A-Za-z0-9._:-]{8,80}$/.test(sent) ? sent : crypto.randomUUID();
}

/**
 * One JSON line per HTTP request, with its id: the one a proxy sent in x-request-id (if it looks
 * like one), else a fresh one. The id goes on to the handler (API errors are logged with it) and
 * back to the client, so a user's "something went wrong" finds its line. Static assets and health
 * checks log at debug, so the log is the traffic people cause. The path is logged without its
 * query and with secret segments (a reset link's token) replaced.
 */
export function accessLog(log: Logger, req: IncomingMessage, res: ServerResponse) {
  const started = process.hrtime.bigint();
  const id = requestId(req.headers['x-request-id']);
  req.headers['x-request-id'] = id;
  res.setHeader('x-request-id', id);
  res.on('finish', () => {
    const path = logPath(req.url);
    const quiet = path.startsWith('/_next/') || path === '/api/v1/health';
    log[quiet ? 'debug' : 'info']({
      reqId: id,
      method: req.method,
      path,
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      remote: req.socket.remoteAddress,
    });
  });
}
