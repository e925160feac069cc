// Every write route of the JSON API, called with an API token of each role DESIGN.md does not give
// it, answers 403 `forbidden` and writes nothing — with a valid body, so that a route (or the lib
// function behind it) that forgot its check would succeed instead. The route files are discovered
// on disk: a new write route that is not in this table fails the first test.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import type { Role } from '@/lib/auth/policy';
import { createApiToken } from '@/lib/auth/tokens';
import { declareIncident } from '@/lib/incidents';
import { freezeMail } from '@/lib/mail/freeze';
import { requestReset } from '@/lib/resets';
import { seedCustomers } from '../../test/customers';
import { staffActor } from '../../test/fixtures';
import { databaseFingerprint } from '../../test/sql';

const ROLES: Role[] = ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE'];
const SECURITY: Role[] = ['ADMIN', 'SECURITY'];
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Ctx = { incident: string; campaign: string; email: Record<Role, string> };
type WriteRoute = { allowed: Role[] | 'public'; body?: (ctx: Ctx, role: Role) => unknown; csv?: string };

/** `METHOD /api/v1/…` (folder names as on disk) → who may call it, and a valid body. */
const WRITES: Record<string, WriteRoute> = {
  'POST /api/v1/customer/login': { allowed: 'public' },
  'POST /api/v1/customer/reset': { allowed: 'public' },
  'POST /api/v1/incidents': { allowed: SECURITY, body: () => ({ title: 'Leak', kind: 'DATA_BREACH', severity: 'SEV1', summary: 's' }) },
  'PATCH /api/v1/incidents/[id]': { allowed: SECURITY, body: () => ({ severity: 'SEV2' }) },
  'POST /api/v1/incidents/[id]/timeline': { allowed: ROLES, body: () => ({ message: 'a note' }) },
  'POST /api/v1/incidents/[id]/milestones': { allowed: SECURITY, body: () => ({ kind: 'DETERMINED' }) },
  'POST /api/v1/incidents/[id]/affected': { allowed: SECURITY, body: () => ({ externalIds: ['routes1'] }) },
  'POST /api/v1/incidents/[id]/resets': { allowed: SECURITY, body: () => ({ scope: 'ALL' }) },
  'POST /api/v1/resets/[id]/approve': { allowed: SECURITY },
  'POST /api/v1/resets/[id]/cancel': { allowed: SECURITY },
  'POST /api/v1/customers/import': { allowed: SECURITY, csv: 'externalId,email\nroutes-new,routes-new@customers.example\n' },
  'POST /api/v1/mail/freeze': { allowed: SECURITY, body: () => ({ streams: ['TRANSACTIONAL'], reason: 'test' }) },
  'POST /api/v1/mail/unfreeze': { allowed: SECURITY, body: () => ({ streams: ['BULK'], reason: 'test' }) },
  'POST /api/v1/mail/held/release': { allowed: SECURITY, body: () => ({}) },
  'POST /api/v1/mail/held/cancel': { allowed: SECURITY, body: () => ({}) },
  'POST /api/v1/staff': { allowed: ['ADMIN'], body: (_, role) => ({ email: `new-${role.toLowerCase()}@routes.example`, name: 'New', role: 'ADMIN', password: 'a long enough password 1' }) },
  'POST /api/v1/tokens': { allowed: ['ADMIN'], body: (ctx, role) => ({ ownerEmail: ctx.email[role], name: 'mine' }) },
};

const API = join(process.cwd(), 'app/api/v1');
function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(join(dir, entry.name)) : entry.name === 'route.ts' ? [join(dir, entry.name)] : [],
  );
}
const pathOf = (file: string) => `/api/v1/${relative(API, file).replace(/\/?route\.ts$/, '')}`.replace(/\/$/, '');

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function discoverWrites() {
  const found = new Map<string, Handler>();
  for (const file of routeFiles(API)) {
    if (file.includes('[...path]')) continue; // the JSON 404 for every unknown route: it writes nothing
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of WRITE_METHODS) if (typeof module[method] === 'function') found.set(`${method} ${pathOf(file)}`, module[method] as Handler);
  }
  return found;
}

let ctx: Ctx;
const tokens = {} as Record<Role, string>;
beforeAll(async () => {
  await seedCustomers(1, { prefix: 'routes' });
  const email = {} as Record<Role, string>;
  for (const role of ROLES) {
    const staff = await staffActor(role);
    email[role] = staff.email;
    tokens[role] = (await createApiToken(systemActor('test'), { ownerEmail: staff.email, name: `routes ${role}` })).token;
  }
  const requester = await staffActor('SECURITY');
  const incident = await declareIncident(requester, { title: 'Target', kind: 'DATA_BREACH', severity: 'SEV1', summary: 's' });
  const campaign = await requestReset(requester, incident.id, { scope: 'ALL' });
  await freezeMail(systemActor('test'), { streams: ['BULK'], reason: 'so that unfreeze has something to lift' });
  ctx = { incident: incident.reference, campaign: campaign.id, email };
});

describe('API write routes and roles', () => {
  it('every write route on disk is in the table, and every entry is a route', async () => {
    expect([...(await discoverWrites()).keys()].sort()).toEqual(Object.keys(WRITES).sort());
  });

  const cases = Object.entries(WRITES).flatMap(([route, spec]) =>
    spec.allowed === 'public' ? [] : ROLES.filter((role) => !(spec.allowed as Role[]).includes(role)).map((role) => [route, role] as const),
  );
  it.each(cases)('%s refuses a %s token with 403 and writes nothing', async (route, role) => {
    const handler = (await discoverWrites()).get(route)!;
    const spec = WRITES[route];
    const [method, template] = route.split(' ');
    const params = { id: template.includes('/resets/[id]') ? ctx.campaign : ctx.incident };
    const path = template.replace('[id]', params.id);
    const request = new Request(`http://localhost${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': spec.csv ? 'text/csv' : 'application/json' },
      body: spec.csv ?? JSON.stringify(spec.body?.(ctx, role) ?? {}),
    });
    const before = await databaseFingerprint();
    const response = await handler(request, { params: Promise.resolve(params) });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining(role) });
    const after = await databaseFingerprint();
    // A token's lastUsedAt is the one thing a refused call may touch.
    delete before.ApiToken;
    delete after.ApiToken;
    expect(after).toEqual(before);
  });
});
