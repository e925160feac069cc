// Every write route of the JSON API, called with an API token of each role DESIGN.md does not give
// it, answers 403 `forbidden` and writes nothing — with a valid body, so that a route (or the lib
// function behind it) that forgot its check would succeed instead. The route files are discovered
// on disk: a new write route that is not in the table (test/api-routes.ts) fails the first test.
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '@/lib/api/operations';
import { systemActor } from '@/lib/auth/actor';
import { PERMISSIONS, SCOPES, type Scope } from '@/lib/auth/policy';
import { createApiToken } from '@/lib/auth/tokens';
import {
  callRoute,
  discoverRoutes,
  discoverWrites,
  fingerprintBesidesTokenUse as fingerprint,
  ROLES,
  type RouteContext,
  setupRouteContext,
  WRITES,
} from '../../test/api-routes';

let ctx: RouteContext;
beforeAll(async () => {
  ctx = await setupRouteContext();
});

describe('API write routes and roles', () => {
  it('every write route on disk is in the table, and every entry is a route', async () => {
    expect([...(await discoverWrites()).keys()].sort()).toEqual(Object.keys(WRITES).sort());
  });

  it("the roles this table expects are those of the permission each route's operation declares", async () => {
    for (const [route, handler] of await discoverWrites()) {
      const { permission } = OPERATIONS[handler.operation];
      const declared = permission === 'public' ? 'public' : [...PERMISSIONS[permission]].sort();
      const expected = WRITES[route].allowed;
      expect(declared, route).toEqual(expected === 'public' ? 'public' : [...expected].sort());
    }
  });

  const cases = Object.entries(WRITES).flatMap(([route, spec]) =>
    spec.allowed === 'public'
      ? []
      : ROLES.filter((role) => !(spec.allowed as string[]).includes(role)).map((role) => [route, role] as const),
  );
  it.each(cases)('%s refuses a %s token with 403 and writes nothing', async (route, role) => {
    const spec = WRITES[route];
    const before = await fingerprint();
    const response = await callRoute(ctx, route, {
      role,
      body: spec.csv ?? JSON.stringify(spec.body?.(ctx, role) ?? {}),
      contentType: spec.csv ? 'text/csv' : undefined,
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining(role) });
    expect(await fingerprint()).toEqual(before);
  });
});

describe('a scoped token', () => {
  // An ADMIN's tokens, so that every refusal below is the scope's, not the role's.
  it.each(Object.keys(SCOPES) as Scope[])(
    '%s gets 403 on every route but its own (reads and writes, valid bodies) and changes nothing',
    async (scope) => {
      const { token } = await createApiToken(systemActor('test'), {
        ownerEmail: ctx.email.ADMIN,
        name: `scoped ${scope}`,
        scope,
      });
      const answered: Record<string, number> = {};
      const own: string[] = [];
      const before = await fingerprint();
      for (const [route, handler] of await discoverRoutes()) {
        const { permission } = OPERATIONS[handler.operation];
        if (permission === 'public') continue;
        if ((SCOPES[scope] as readonly string[]).includes(permission)) own.push(route);
        const spec = WRITES[route];
        const response = await callRoute(ctx, route, {
          token,
          body: route.startsWith('GET ') ? undefined : (spec?.csv ?? JSON.stringify(spec?.body?.(ctx, 'ADMIN') ?? {})),
          contentType: spec?.csv ? 'text/csv' : undefined,
        });
        answered[route] = response.status;
        if (response.status === 403)
          expect(await response.json(), route).toMatchObject({
            error: 'forbidden',
            message: expect.stringContaining(scope),
          });
      }
      expect(await fingerprint()).toEqual(before);
      expect(own.length).toBeGreaterThan(0);
      expect(Object.entries(answered).filter(([, status]) => status !== 403)).toEqual(own.map((route) => [route, 200]));
      expect(Object.keys(answered).length).toBeGreaterThan(40);
    },
  );
});

describe('limits that agree', () => {
  it('marking affected takes the 100,000 ids its schema allows in one call (the body limit fits them)', async () => {
    const externalIds = Array.from({ length: 100_000 }, (_, i) => `routes-affected-external-id-${i}`);
    externalIds[0] = 'routes1';
    const response = await callRoute(ctx, 'POST /api/v1/incidents/[id]/affected', {
      role: 'SECURITY',
      body: JSON.stringify({ externalIds }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toMatchObject({ added: 1 });
    const over = await callRoute(ctx, 'POST /api/v1/incidents/[id]/affected', {
      role: 'SECURITY',
      body: JSON.stringify({ externalIds: [...externalIds, 'one-more'] }),
    });
    expect(over.status).toBe(400);
  });
});
