// The cross-site check of cookie-authenticated writes (staffRoute): exact origins only.
import { describe, expect, it } from 'vitest';
import { sameOrigin } from '@/lib/api/route';

const request = 'http://localhost:3000/api/v1/incidents';

describe('sameOrigin', () => {
  it.each([
    [null, undefined, true],
    ['http://localhost:3000', undefined, true],
    ['https://console.exchange.example', 'https://console.exchange.example', true], // behind a TLS proxy
    ['https://evil.example', undefined, false],
    ['https://localhost:3000', undefined, false], // another scheme is another origin
    ['http://localhost:3001', undefined, false],
    ['http://127.0.0.1:3000', undefined, false],
    ['http://localhost:3000.evil.example', undefined, false],
    ['null', undefined, false], // sandboxed iframes, data: pages
    ['not a url', undefined, false],
    ['', undefined, false],
    ['http://localhost:3000/some/path', undefined, false], // an Origin header has no path
  ] as const)('Origin %j (public URL %j) → %j', (origin, publicUrl, expected) => {
    expect(sameOrigin(origin, request, publicUrl)).toBe(expected);
  });

  it.each([
    ['http://127.0.0.1:3000', '127.0.0.1:3000', true], // the console opened at the address the launcher binds
    ['http://localhost:3000', '127.0.0.1:3000', true],
    ['https://evil.example', '127.0.0.1:3000', false],
    ['http://127.0.0.1:3000', 'evil.example', false],
    ['http://127.0.0.1:3000', 'not a host', false], // a Host header that does not parse
    // A rebinding page sent to our address under its own name gets its own name's cookies, none of ours.
    ['http://rebind.example', 'rebind.example', true],
  ] as const)('Origin %j sent to Host %j → %j', (origin, host, expected) => {
    expect(sameOrigin(origin, request, 'http://localhost:3000', host)).toBe(expected);
  });
});
