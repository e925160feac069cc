// The one wrapper every /api/v1 handler goes through: resolves the actor (unless the route is
// public), reads and validates the JSON body with a size limit, and maps errors once to
// `{ error, message }` with a 4xx status. Handlers stay thin adapters over lib/<domain> calls.
import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import type { StaffActor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { actorFromRequest } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { isConnectionError } from '@/lib/db/pg';
import {
  DomainError,
  ERROR_CODES,
  type ErrorCode,
  Forbidden,
  Invalid,
  PayloadTooLarge,
  TooManyAttempts,
} from '@/lib/errors';
import { logger, logPath } from '@/lib/log';
import { badText, parseInput } from '@/lib/validation';
import { OPERATIONS, type Operation, type OperationKey } from './operations';

export const MAX_JSON_BYTES = 1024 * 1024;
/** What a 503 asks a client to wait while the database is away. */
const RETRY_AFTER_SECONDS = 5;

const log = logger('api');

/** The error's answer; one the server did not expect is logged, with the request's id. */
export function errorResponse(error: unknown, request?: Request) {
  const reqId = request?.headers.get('x-request-id') ?? undefined;
  if (error instanceof DomainError) {
    return NextResponse.json(
      { error: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      {
        status: error.status,
        headers: error instanceof TooManyAttempts ? { 'retry-after': String(error.retryAfterSeconds) } : undefined,
      },
    );
  }
  // The database is away (restarting, failing over): say so, and when to come back, like health.
  if (isConnectionError(error)) {
    log.error({ reqId, err: error }, 'database unavailable');
    return codeResponse('unavailable', 'The service is briefly unavailable. Try again in a few seconds.', {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }
  log.error(
    {
      reqId,
      err: error,
      method: request?.method,
      path: request && logPath(new URL(request.url).pathname),
    },
    'unexpected error',
  );
  return codeResponse('internal', 'Something went wrong on the server; it has been logged.');
}

/** An error the route itself answers with (not a DomainError): its status comes from the code. */
function codeResponse(code: ErrorCode, message: string, headers?: Record<string, string>) {
  return NextResponse.json({ error: code, message }, { status: ERROR_CODES[code], headers });
}

type Context = { params: Promise<Record<string, string>> };
type Spec<K extends OperationKey> = (typeof OPERATIONS)[K];

/** `{id}` in an operation's path → `{ id: string }`. */
type ParamsOf<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? { [N in Name]: string } & ParamsOf<Rest>
  : Record<never, string>;
type QueryOf<K extends OperationKey> = Spec<K> extends { query: infer Q extends z.ZodType } ? z.output<Q> : never;
/** What a handler hands back: the view's input (a Response only where the operation declares `raw`). */
type ResultOf<K extends OperationKey> =
  Spec<K> extends { raw: object } ? Response : z.input<Spec<K>['response']> | Reply<z.input<Spec<K>['response']>>;

type Handler<K extends OperationKey, A> = (
  request: Request,
  actor: A,
  params: ParamsOf<K>,
  query: QueryOf<K>,
) => Promise<ResultOf<K>>;

/** A success answer with a status (and headers) other than the operation's usual one. */
export class Reply<T> {
  constructor(
    readonly status: number,
    readonly data: T,
    readonly headers?: Record<string, string>,
  ) {}
}

type NextHandler = (request: Request, context: Context) => Promise<Response>;
/**
 * The handler Next calls, with the operation it serves, and `forActor`: the same route with its
 * caller already known, for the API contract test (a unit test cannot mint a next-auth session,
 * and some operations accept only a signed-in person). Next routes only the function itself.
 */
export type RouteHandler<A = unknown> = NextHandler & { operation: OperationKey; forActor: (actor: A) => NextHandler };

function route<K extends OperationKey, A>(
  key: K,
  actorOf: (request: Request) => Promise<A>,
  handler: Handler<K, A>,
): RouteHandler<A> {
  const spec: Operation = OPERATIONS[key];
  const serve = async (request: Request, actor: A, params: Record<string, string>) => {
    // The role first, then the input: a caller without the permission learns nothing about it.
    if (spec.permission !== 'public') assertCan(actor as StaffActor, spec.permission);
    const query = spec.query
      ? parseInput(spec.query, Object.fromEntries(new URL(request.url).searchParams))
      : undefined;
    return respond(spec, await handler(request, actor, params as ParamsOf<K>, query as QueryOf<K>));
  };
  const handle =
    (resolve: (request: Request) => Promise<A>): NextHandler =>
    async (request, context) => {
      try {
        return await serve(request, await resolve(request), await context.params);
      } catch (error) {
        return errorResponse(error, request);
      }
    };
  return Object.assign(handle(actorOf), {
    operation: key,
    forActor: (actor: A) => handle(async () => actor),
  });
}

/** Passes the handler's result through the operation's view: only declared fields leave. */
function respond(spec: Operation, result: unknown): Response {
  if (result instanceof Response) {
    if (!spec.raw) throw new Error('a JSON operation answered with a raw Response');
    return result;
  }
  const reply = result instanceof Reply ? result : new Reply(spec.status, result);
  if (reply.status !== spec.status && !(spec.alsoStatus as readonly number[] | undefined)?.includes(reply.status))
    throw new Error(`status ${reply.status} is not documented for this operation`);
  return NextResponse.json(spec.response.parse(reply.data), { status: reply.status, headers: reply.headers });
}

/** An operation anyone may call (customer login, health, this API's document). */
export function publicRoute<K extends OperationKey>(key: K, handler: Handler<K, null>) {
  return route(key, async () => null, handler);
}

/** An operation for staff: a session cookie (same-origin writes only) or an API token. */
export function staffRoute<K extends OperationKey>(key: K, handler: Handler<K, StaffActor>) {
  return route(key, staffActorOf, handler);
}

async function staffActorOf(request: Request): Promise<StaffActor> {
  const actor = await actorFromRequest(request);
  // Cookie-authenticated writes must come from our own pages (SameSite=Lax covers most of
  // this; the Origin check covers the rest). Token requests carry no ambient authority.
  if (actor.via === 'session' && request.method !== 'GET' && request.method !== 'HEAD') {
    if (!sameOrigin(request.headers.get('origin'), request.url, config().NEXTAUTH_URL, request.headers.get('host'))) {
      throw new Forbidden('Cross-site request refused.', 'cross_site');
    }
  }
  return actor;
}

/**
 * Whether a cookie-authenticated write may proceed, by its Origin header: absent (same-origin
 * requests of some clients, and non-browser clients, which carry no ambient cookie), or exactly the
 * origin (scheme, host and port) of the request — its URL, or the Host header it was sent to (the
 * console opened as 127.0.0.1:PORT as well as localhost:PORT) — or of the console's public URL
 * (NEXTAUTH_URL, which is what a browser sends behind a TLS-terminating proxy). A cross-site
 * page cannot choose the Host header a browser sends, only its own Origin. `null` (sandboxed
 * frames, data: pages) and anything unparseable are refused.
 */
export function sameOrigin(
  origin: string | null,
  requestUrl: string,
  publicUrl?: string,
  host?: string | null,
): boolean {
  if (origin === null) return true;
  const originOf = (url: string | undefined) => {
    try {
      return url ? new URL(url).origin : null;
    } catch {
      return null;
    }
  };
  const claimed = originOf(origin);
  if (!claimed || claimed === 'null' || claimed !== origin.replace(/\/$/, '')) return false;
  const viaHost = host ? originOf(`${new URL(requestUrl).protocol}//${host}`) : null;
  return claimed === originOf(requestUrl) || claimed === originOf(publicUrl) || claimed === viaHost;
}

/** Reads a JSON body of at most `limit` bytes and validates it. */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  limit = MAX_JSON_BYTES,
): Promise<z.output<S>> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new PayloadTooLarge(limit);
  const text = await readLimited(request, limit);
  let body: unknown;
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw new Invalid('The request body is not valid JSON.', undefined, 'invalid_json');
  }
  return parseInput(schema, body);
}

const jsonObject = z.record(z.string(), z.unknown(), { message: 'The request body must be a JSON object.' });

/**
 * A JSON object body, to hand to a domain function, which validates it with its own schema after
 * checking the caller's role (so a caller without the role gets 403, not a validation hint).
 */
export async function readBody<T>(request: Request): Promise<T> {
  return (await readJson(request, jsonObject)) as T;
}

/** A text body (e.g. a relay's log) of at most `limit` bytes. */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new PayloadTooLarge(limit);
  const text = await readLimited(request, limit);
  const bad = badText(text);
  if (bad) throw new Invalid(`The body: ${bad.message}`, undefined, 'invalid_text');
  return text;
}

async function readLimited(request: Request, limit: number) {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
