// The browser-side defences of every page: a Content-Security-Policy with a fresh nonce per
// request (script-src allows only our own scripts and the inline ones Next renders with that nonce;
// no 'unsafe-inline', no eval in production), and HSTS when the console is served over HTTPS.
// proxy.ts applies them; Next reads the nonce from the request's CSP header and puts it on the
// scripts it renders, which is why every page renders dynamically (app/layout.tsx).
// Pure functions: no Next imports, so the unit tests can check the policy itself.

/** 128 random bits, base64: a nonce an attacker cannot guess. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // 'strict-dynamic': scripts our nonce'd scripts load may run; host allow-lists are ignored.
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", `'nonce-${nonce}'`, ...(options.dev ? ["'unsafe-inline'"] : [])],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`);
  if (options.https) policy.push('upgrade-insecure-requests');
  return policy.join('; ');
}

/** Two years, subdomains included: the value hstspreload.org asks for (without opting into preload). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/** Whether the console is served over HTTPS: its public URL says so. */
export function servedOverHttps(env: Record<string, string | undefined> = process.env): boolean {
  const url = env.FIREBREAK_PUBLIC_URL || env.NEXTAUTH_URL || '';
  return url.startsWith('https://');
}
