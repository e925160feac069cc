import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, servedOverHttps } from './headers';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

describe('content security policy', () => {
  it('nonces are 128 random bits and never repeat', () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('in production allows scripts only by nonce: no inline, no eval, no framing, no plugins, no base hijack', () => {
    const policy = contentSecurityPolicy('abc');
    expect(directive(policy, 'script-src')).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(directive(policy, 'style-src')).toBe("style-src 'self' 'nonce-abc'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(policy, 'object-src')).toBe("object-src 'none'");
    expect(directive(policy, 'base-uri')).toBe("base-uri 'none'");
    expect(directive(policy, 'form-action')).toBe("form-action 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
  });

  it('`next dev` gets eval (React needs it); HTTPS upgrades subresources', () => {
    expect(directive(contentSecurityPolicy('n', { dev: true }), 'script-src')).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy('n', { https: true })).toContain('upgrade-insecure-requests');
  });

  it('HSTS is sent only when the public URL is HTTPS (browsers ignore it over plain HTTP)', () => {
    expect(servedOverHttps({ NEXTAUTH_URL: 'https://console.exchange.example' })).toBe(true);
    expect(servedOverHttps({ NEXTAUTH_URL: 'http://localhost:3000' })).toBe(false);
    expect(
      servedOverHttps({
        NEXTAUTH_URL: 'http://localhost:3000',
        FIREBREAK_PUBLIC_URL: 'https://console.exchange.example',
      }),
    ).toBe(true);
    expect(servedOverHttps({})).toBe(false);
  });
});
