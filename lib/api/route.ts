// The one wrapper every /api/v1 handler goes through: resolves the actor (unless the route is
// public), reads and validates the JSON body with a size limit, and maps errors once to
// `{ error, message }` with a 4xx status. Handlers stay thin adapters over lib/<domain> calls.
import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import type { StaffActor } from '@/lib/auth/actor';
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
import { badText, parseInput } from '@/lib/validation';

export const MAX_JSON_BYTES = 1024 * 1024;
/** What a 503 asks a client to wait while the database is away. */
const RETRY_AFTER_SECONDS = 5;

type Context<P> = { params: Promise<P> };

export function errorResponse(error: unknown) {
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
    console.error(`database unavailable: ${(error as Error).message}`);
    return codeResponse('unavailable', 'The service is briefly unavailable. Try again in a few seconds.', {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }
  console.error(error);
  return codeResponse('internal', 'Something went wrong on the server; it has been logged.');
}

/** An error the route itself answers with (not a DomainError): its status comes from the code. */
function codeResponse(code: ErrorCode, message: string, headers?: Record<string, string>) {
  return NextResponse.json({ error: code, message }, { status: ERROR_CODES[code], headers });
}

export function publicRoute<P = object>(handler: (request: Request, params: P) => Promise<Response>) {
  return async (request: Request, context: Context<P>) => {
    try {
      return await handler(request, await context.params);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function staffRoute<P = object>(handler: (request: Request, actor: StaffActor, params: P) => Promise<Response>) {
  return publicRoute<P>(async (request, params) => {
    const actor = await actorFromRequest(request);
    // Cookie-authenticated writes must come from our own pages (SameSite=Lax covers most of
    // this; the Origin check covers the rest). Token requests carry no ambient authority.
    if (actor.via === 'session' && request.method !== 'GET' && request.method !== 'HEAD') {
      if (!sameOrigin(request.headers.get('origin'), request.url, config().NEXTAUTH_URL, request.headers.get('host'))) {
        throw new Forbidden('Cross-site request refused.', 'cross_site');
      }
    }
    return handler(request, actor, params);
  });
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

export const json = (data: unknown, status = 200) => NextResponse.json(data, { status });
