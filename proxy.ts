// Runs before every response but the JSON API's and the static assets' (Next 16's successor of
// middleware.ts): sets the per-request CSP nonce and HSTS (lib/security/headers.ts). Everything
// else that can answer HTML — pages, error pages, an unknown /api/… path, prefetches — gets it.
import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY, servedOverHttps } from '@/lib/security/headers';

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = servedOverHttps();
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development', https });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy); // Next takes the nonce for its scripts from here
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  if (https) response.headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // The public status pages set their own, stricter policy (no script at all: lib/status/http.ts).
  matcher: [
    '/((?!api/v1/|api/v2/|api/auth/|status(?:/(?:history|verify|feed\\.xml|subscribe|subscribe/confirm|unsubscribe|notices/[^/]+))?$|_next/static|_next/image|icon.svg|favicon.ico).*)',
  ],
};
