import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/auth/redirect';

const origin = 'http://localhost:3000';

describe('after sign-in, only paths of our own origin', () => {
  it.each([
    ['/incidents/INC-2026-0001', '/incidents/INC-2026-0001'],
    ['/audit?action=staff.signed_in#top', '/audit?action=staff.signed_in#top'],
    ['http://localhost:3000/mail', '/mail'],
    ['/.\\evil.example', '/evil.example'], // a path of ours, however it was spelled
    [null, '/'],
    ['', '/'],
  ])('%j → %j', (next, expected) => {
    expect(safeCallbackPath(next, origin)).toBe(expected);
  });

  it.each([
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example/',
    '/\t/evil.example/', // what `/%09/evil.example/` decodes to
    '/\n/evil.example/',
    'https://evil.example/',
    'http://localhost:3000@evil.example/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://localhost:3001/',
    'https://localhost:3000/',
  ])('%j → / (another origin)', (next) => {
    expect(safeCallbackPath(next, origin)).toBe('/');
  });

  it.each(['/.//evil.example/', '/%2e//evil.example', '/a/..//evil.example', '//localhost:3000//evil.example'])(
    '%j → / (dot segments that resolve to //host)',
    (next) => {
      expect(safeCallbackPath(next, origin)).toBe('/');
    },
  );
});
