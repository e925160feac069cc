// The credential-status routes, called with a token, answered without Next's router in front.
// The exchange's login service asks once per login, and after a reset everyone logs in at once:
// Next's route machinery costs several milliseconds of CPU a request on top of the lookup's one
// query (bench:credential-status). These are the same route handlers Next runs (the token, its
// scope, validation, errors, metrics: app/api/v1/customers/…/route.ts), given the request as a
// web Request. A call without an Authorization header (a console session, which needs Next's
// request context) and every other route go to Next as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { GET as single } from '@/app/api/v1/customers/[externalId]/credential-status/route';
import { POST as batch } from '@/app/api/v1/customers/credential-status/route';
import { send } from './http';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const SINGLE = /^\/api\/v1\/customers\/([^/]+)\/credential-status$/;

/** The route to answer directly, or null when Next should. */
export function directApi(
  req: IncomingMessage,
  path: string,
): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null {
  if (!req.headers.authorization) return null;
  if (req.method === 'GET') {
    const match = SINGLE.exec(path);
    if (!match) return null;
    let externalId: string;
    try {
      externalId = decodeURIComponent(match[1]);
    } catch {
      return null; // Next answers a malformed path as it always has
    }
    return (req, res) => answer(single as Handler, { externalId }, req, res);
  }
  if (req.method === 'POST' && path === '/api/v1/customers/credential-status')
    return (req, res) => answer(batch as Handler, {}, req, res);
  return null;
}

async function answer(handler: Handler, params: Record<string, string>, req: IncomingMessage, res: ServerResponse) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(new URL(req.url ?? '/', 'http://localhost'), {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  await send(res, await handler(request, { params: Promise.resolve(params) }), req.method);
}
