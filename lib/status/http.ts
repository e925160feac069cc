// How the public pages and documents answer: from the snapshot's memo (rendered once per version),
// with validators (ETag, Last-Modified → 304) and Cache-Control a CDN in front can act on, and for
// HTML a Content-Security-Policy that allows no script at all and only the inline stylesheet
// named by its hash. Dynamic answers (a verification, a subscription) are never stored.
import 'server-only';
import { createHash } from 'node:crypto';
import type { ReactElement } from 'react';
import { STATUS_CSS } from '@/components/status/style';
import { STRICT_TRANSPORT_SECURITY, servedOverHttps } from '@/lib/security/headers';
import type { StatusSnapshot } from './snapshot';

/** Seconds a browser or CDN may reuse an answer, then serve it stale while it asks again. */
export const MAX_AGE = 1;
export const STALE_WHILE_REVALIDATE = 10;
const CACHE_CONTROL = `public, max-age=${MAX_AGE}, stale-while-revalidate=${STALE_WHILE_REVALIDATE}, stale-if-error=86400`;

const styleHash = `'sha256-${createHash('sha256').update(STATUS_CSS).digest('base64')}'`;

/** The public pages' policy: no script, no frames, forms only to us, images from us (and the logo's host). */
export function publicCsp(logoUrl: string) {
  const logoOrigin = logoUrl.startsWith('https://') ? ` ${new URL(logoUrl).origin}` : '';
  return [
    "default-src 'none'",
    `style-src ${styleHash}`,
    `img-src 'self' data:${logoOrigin}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...(servedOverHttps() ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export type Entry = { body: string; etag: string; status?: number };

const entryOf = (body: string, status?: number): Entry => ({
  body,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  status,
});

/**
 * A page or document of this snapshot, made once (keys come from the snapshot, never from a
 * request as such); concurrent first requests share one rendering.
 */
export function memo(snapshot: StatusSnapshot, key: string, make: () => string | Promise<string>): Promise<Entry> {
  let entry = snapshot.rendered.get(key);
  if (!entry) {
    entry = Promise.resolve(make()).then((body) => entryOf(body));
    entry.catch(() => snapshot.rendered.delete(key));
    snapshot.rendered.set(key, entry);
  }
  return entry;
}

/** Static HTML of a page (no React on the client: nothing to hydrate). */
export async function renderHtml(element: ReactElement) {
  const { renderToStaticMarkup } = await import('react-dom/server');
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
}

function baseHeaders(contentType: string, snapshot: StatusSnapshot | null): Headers {
  const headers = new Headers({ 'content-type': contentType, 'x-content-type-options': 'nosniff' });
  if (contentType.startsWith('text/html'))
    headers.set('content-security-policy', publicCsp(snapshot?.exchange.logoUrl ?? '/'));
  if (servedOverHttps()) headers.set('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  return headers;
}

/** A cacheable answer: 304 when the client has it, else the body with its validators. */
export function cached(request: Request, snapshot: StatusSnapshot, entry: Entry, contentType: string) {
  const headers = baseHeaders(contentType, snapshot);
  headers.set('cache-control', CACHE_CONTROL);
  headers.set('etag', entry.etag);
  headers.set('last-modified', snapshot.lastModified.toUTCString());
  // Public, read-only documents: widgets on other sites may read them (no credentials).
  if (!contentType.startsWith('text/html')) headers.set('access-control-allow-origin', '*');
  // The ETag is the content's hash, so it alone decides; If-Modified-Since is not honoured (two
  // changes within a second, or a channel removed, would leave a one-second date unchanged).
  const match = request.headers.get('if-none-match');
  if (match?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag))
    return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : entry.body, { status: entry.status ?? 200, headers });
}

/** An answer to one request (a verification, a subscription step): never stored by anyone. */
export function uncached(body: string, status: number, contentType: string, snapshot: StatusSnapshot | null) {
  const headers = baseHeaders(contentType, snapshot);
  headers.set('cache-control', 'no-store');
  return new Response(body, { status, headers });
}

export function seeOther(location: string) {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}
