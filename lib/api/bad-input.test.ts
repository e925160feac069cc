// The bad-input catalogue: every write route that reads a body, called by a role that may use it,
// with malformed JSON, wrong types, NUL characters, lone UTF-16 surrogates, huge strings, an
// oversize body, and the route's own out-of-range numbers and invalid dates. Each answers 4xx
// JSON `{ error, message }` and leaves every table as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  callRoute,
  fingerprintBesidesTokenUse as fingerprint,
  type RouteContext,
  setupRouteContext,
  WRITES,
} from '../../test/api-routes';
import { sql } from '../../test/sql';

let ctx: RouteContext;
beforeAll(async () => {
  ctx = await setupRouteContext();
});

type Case = [route: string, what: string, body: () => string];

/** The generic mutations of a valid JSON body: each field in turn made bad. */
function mutations(valid: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(valid)) {
    const strings = (make: (s: string) => string) =>
      Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? make(v) : v)) : make(String(value));
    out.push([`${key}: a NUL character`, { ...valid, [key]: strings((s) => `${s}\u0000x`) }]);
    out.push([`${key}: a lone surrogate`, { ...valid, [key]: strings((s) => `${s}\uD800`) }]);
    out.push([`${key}: 100,000 characters`, { ...valid, [key]: strings((s) => s + 'x'.repeat(100_000)) }]);
    out.push([`${key}: an object`, { ...valid, [key]: { nested: true } }]);
    out.push([`${key}: a number`, { ...valid, [key]: 12345 }]);
  }
  out.push(['an unknown field with a NUL in its name', { ...valid, 'bad\u0000key': 'x' }]);
  return out;
}

const cases: Case[] = Object.entries(WRITES).flatMap(([route, spec]) => {
  if (!spec.body) return [];
  const valid = () => spec.body!(ctx, 'ADMIN');
  const generic: Case[] = [
    [route, 'malformed JSON', () => '{"title": '],
    [route, 'a JSON array', () => '[1, 2]'],
    [route, '200,000 nested arrays', () => `{"x": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`],
    [route, 'a body of 2 MiB', () => JSON.stringify({ ...valid(), padding: 'x'.repeat(2 * 1024 * 1024) })],
  ];
  // The mutations are named from a body built with placeholders (the context exists only when tests run).
  const named = mutations(spec.body({ email: { ADMIN: 'admin' }, tokens: {} } as RouteContext, 'ADMIN'));
  const perField = named.map(([what], i): Case => [route, what, () => JSON.stringify(mutations(valid())[i][1])]);
  const own = (spec.invalid?.({ email: { ADMIN: 'admin' } } as RouteContext) ?? []).map(
    (text, i): Case => [route, text.replace(/"/g, "'"), () => spec.invalid!(ctx)[i]],
  );
  return [...generic, ...perField, ...own];
});

describe('bad input on every write route: 4xx JSON, nothing written', () => {
  it.each(cases)('%s with %s', async (route, _what, body) => {
    const role = WRITES[route].allowed === 'public' ? undefined : 'ADMIN';
    const before = await fingerprint();
    const response = await callRoute(ctx, route, { role, body: body() });
    expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect(await fingerprint()).toEqual(before);
  });

  it.each([
    ['a NUL character in a field', 'externalId,email\nbad\u0000id,nul@customers.example\n'],
    ['a NUL character in the header', 'external\u0000Id,email\nx,x@customers.example\n'],
    ['a row with a bad email', 'externalId,email\nok1,ok1@customers.example\nbad,not-an-email\n'],
  ])('POST /api/v1/customers/import with %s', async (_what, csv) => {
    const before = await fingerprint();
    const response = await callRoute(ctx, 'POST /api/v1/customers/import', {
      role: 'ADMIN',
      body: csv,
      contentType: 'text/csv',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect(await fingerprint()).toEqual(before);
  });
});

describe('bad query parameters', () => {
  it('an audit cursor beyond the bigint range is 400, not a database error', async () => {
    const { GET } = await import('@/app/api/v1/audit/route');
    for (const after of ['99999999999999999999999', '-1', 'abc']) {
      const response = await GET(
        new Request(`http://localhost/api/v1/audit?after=${after}`, {
          headers: { authorization: `Bearer ${ctx.tokens.ADMIN}` },
        }),
        { params: Promise.resolve({}) },
      );
      expect(response.status, after).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_input' });
    }
    expect((await sql('SELECT 1')).length).toBe(1);
  });
});
