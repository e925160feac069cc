// The write routes of the JSON API as data, for the tests that call every one of them (roles, bad
// input): who may call each, and a body that is valid for an ADMIN. Route files are discovered on
// disk, so a new write route without an entry here fails `lib/api/routes.test.ts`.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RouteHandler } from '@/lib/api/route';
import type { StaffActor } from '@/lib/auth/actor';
import { systemActor } from '@/lib/auth/actor';
import type { Role } from '@/lib/auth/policy';
import { createApiToken } from '@/lib/auth/tokens';
import { pendingWork, staffActor } from './fixtures';
import { databaseFingerprint } from './sql';

export const ROLES: Role[] = ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE'];
const SECURITY: Role[] = ['ADMIN', 'SECURITY'];
const DRAFTERS: Role[] = ['ADMIN', 'COMMS', 'SECURITY'];
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

export type RouteContext = {
  incident: string;
  campaign: string;
  credentialChange: string;
  disclosure: string;
  channel: string;
  email: Record<Role, string>;
  tokens: Record<Role, string>;
};
export type WriteRoute = {
  allowed: Role[] | 'public';
  /** A valid JSON body (omitted: the route reads no body). */
  body?: (ctx: RouteContext, role: Role) => Record<string, unknown>;
  /** A valid text body instead of JSON (CSV for the import, a relay log for reconciliation). */
  csv?: string;
  /** Bodies that must be refused beyond the generic ones (bad dates, out-of-range numbers…), as JSON text. */
  invalid?: (ctx: RouteContext) => string[];
};

const json = (value: unknown) => JSON.stringify(value);

/** `METHOD /api/v1/…` (folder names as on disk) → who may call it, and a valid body. */
export const WRITES: Record<string, WriteRoute> = {
  'POST /api/v1/customer/login': {
    allowed: 'public',
    body: () => ({ email: 'routes1@customers.example', password: 'not the password' }),
  },
  'POST /api/v1/customer/reset': {
    allowed: 'public',
    body: () => ({ token: 'x'.repeat(43), newPassword: 'a long enough new password' }),
  },
  'POST /api/v1/incidents': {
    allowed: SECURITY,
    body: () => ({ title: 'Leak', kind: 'DATA_BREACH', severity: 'SEV1', summary: 's' }),
    invalid: () =>
      ['yesterday', '2026-02-30T10:00:00Z', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.001Z'].map(
        (detectedAt) => json({ title: 'Leak', kind: 'DATA_BREACH', severity: 'SEV1', summary: 's', detectedAt }),
      ),
  },
  'PATCH /api/v1/incidents/[id]': {
    allowed: SECURITY,
    body: () => ({ severity: 'SEV2' }),
    invalid: () => [json({ materialAt: '9999-99-99' }), json({ status: 'OPEN' })],
  },
  'POST /api/v1/incidents/[id]/timeline': { allowed: ROLES, body: () => ({ message: 'a note' }) },
  'POST /api/v1/incidents/[id]/milestones': {
    allowed: SECURITY,
    body: () => ({ kind: 'DETERMINED' }),
    invalid: () => [json({ kind: 'DETERMINED', occurredAt: 'soon' })],
  },
  'POST /api/v1/incidents/[id]/affected': {
    allowed: SECURITY,
    body: () => ({ externalIds: ['routes1'] }),
    invalid: () => [json({ externalIds: [] }), json({ externalIds: 'routes1' })],
  },
  'POST /api/v1/incidents/[id]/mail-logs': {
    allowed: SECURITY,
    csv: 'messageId,to\nroutes-log-1,"routes1@customers.example, someone@elsewhere.example"\n',
  },
  'POST /api/v1/incidents/[id]/exposure/affected': {
    allowed: SECURITY,
    // Refused (409 no_blast_radius) unless a log was imported: the role check comes first.
    body: () => ({ version: 1 }),
    invalid: () => [json({ version: 0 }), json({ version: '1' }), json({})],
  },
  'POST /api/v1/incidents/[id]/resets': {
    allowed: SECURITY,
    body: () => ({ scope: 'ALL' }),
    invalid: () =>
      ['-1', '1.5', '1e400', '"12"']
        .map((hours) => `{"scope": "ALL", "lockWithdrawalsHours": ${hours}}`)
        .concat(json({ scope: 'ALL', revokeSessions: 'yes' })),
  },
  'POST /api/v1/incidents/[id]/disclosures': {
    allowed: DRAFTERS,
    body: () => ({ title: 'Notice of Data Breach', body: 'What happened.' }),
    invalid: () => [json({ title: '', body: 'x' }), json({ title: 'T', body: 'x'.repeat(50_001) })],
  },
  'POST /api/v1/disclosures/[id]/revisions': {
    allowed: DRAFTERS,
    body: () => ({ title: 'Notice of Data Breach', body: 'What happened, revised.' }),
    invalid: () => [json({ title: 'T' }), json({ body: 'b' })],
  },
  'POST /api/v1/disclosures/[id]/submit': { allowed: DRAFTERS },
  'POST /api/v1/disclosures/[id]/approve': {
    allowed: ['ADMIN', 'SECURITY', 'EXECUTIVE'], // and only in a session, by someone not the author (lib/disclosures)
    body: () => ({ revision: 1, contentHash: 'a'.repeat(64) }),
    invalid: () => [json({ revision: 0, contentHash: 'a'.repeat(64) }), json({ revision: 1, contentHash: 'abc' })],
  },
  'POST /api/v1/disclosures/[id]/publish': {
    allowed: DRAFTERS,
    body: () => ({ revision: 1, notify: 'NONE' }),
    invalid: () => [json({ revision: 1, notify: 'EVERYONE' }), json({ revision: '1' })],
  },
  'POST /api/v1/notices/verify': {
    allowed: 'public',
    body: () => ({ text: 'Is this yours?' }),
    invalid: () => [json({ text: '' }), json({ notice: {}, signature: 'x', kid: 'y' })],
  },
  'POST /api/v1/channels': {
    allowed: SECURITY,
    body: (_, role) => ({ name: 'Telegram', kind: 'TELEGRAM', handle: `t.me/routes-${role.toLowerCase()}` }),
    invalid: () => [
      json({ name: 'T', kind: 'FAX', handle: 'x' }),
      json({ name: 'T', kind: 'X', handle: 'x', url: 'http://x' }),
    ],
  },
  'POST /api/v1/channels/[id]/status': {
    allowed: SECURITY,
    body: (_, role) => ({ status: role === 'ADMIN' ? 'COMPROMISED' : 'RECOVERED', reason: 'the route test' }),
    invalid: () => [json({ status: 'HACKED', reason: 'x'.repeat(10) }), json({ status: 'COMPROMISED' })],
  },
  'POST /api/v1/resets/[id]/approve': { allowed: SECURITY },
  'POST /api/v1/resets/[id]/cancel': { allowed: SECURITY },
  'POST /api/v1/customers/import': {
    allowed: SECURITY,
    csv: 'externalId,email\nroutes-new,routes-new@customers.example\n',
  },
  'POST /api/v1/customers/credential-status': { allowed: ROLES, body: () => ({ externalIds: ['routes1'] }) }, // a read in a POST (a batch)
  'POST /api/v1/customers/credential-changes/[id]/approve': { allowed: SECURITY }, // and only in a session (lib/customers/credential-changes.test.ts)
  'POST /api/v1/customers/credential-changes/[id]/cancel': { allowed: SECURITY },
  'POST /api/v1/mail/freeze': {
    allowed: SECURITY,
    body: () => ({ streams: ['TRANSACTIONAL'], reason: 'test' }),
    invalid: () => [json({ streams: [], reason: 'test' }), json({ streams: 'SOME', reason: 'test' })],
  },
  'POST /api/v1/mail/unfreeze': { allowed: SECURITY, body: () => ({ streams: ['BULK'], reason: 'test' }) },
  'POST /api/v1/mail/held/release': {
    allowed: SECURITY,
    body: () => ({ stream: 'BULK' }),
    invalid: () => [json({ campaignId: 'not-a-uuid' })],
  },
  'POST /api/v1/mail/held/reconcile': {
    allowed: SECURITY,
    csv: 'postfix/smtp: status=sent message-id=<0000@nowhere.example>\n',
  },
  'POST /api/v1/mail/held/cancel': {
    allowed: SECURITY,
    body: () => ({ stream: 'BULK' }),
    invalid: () => [json({}), json({ all: false }), json({ all: 'true' })],
  },
  'POST /api/v1/staff': {
    allowed: ['ADMIN'],
    body: (_, role) => ({
      email: `new-${role.toLowerCase()}@routes.example`,
      name: 'New',
      role: 'ADMIN',
      password: 'a long enough password 1',
    }),
  },
  'POST /api/v1/staff/unlock': { allowed: ['ADMIN'], body: (ctx) => ({ email: ctx.email.COMMS }) },
  'POST /api/v1/staff/disable': {
    allowed: ['ADMIN'],
    body: (ctx) => ({ email: ctx.email.EXECUTIVE, reason: 'laptop stolen' }),
  },
  'POST /api/v1/staff/enable': {
    allowed: ['ADMIN'],
    body: (ctx) => ({ email: ctx.email.EXECUTIVE, reason: 'laptop found' }),
  },
  'POST /api/v1/staff/role': {
    allowed: ['ADMIN'],
    body: (ctx) => ({ email: ctx.email.COMMS, role: 'ADMIN', reason: 'promotion' }),
    invalid: () => [json({ email: 'x@test.local', role: 'ROOT', reason: 'why not' })],
  },
  'POST /api/v1/webhooks': {
    allowed: ['ADMIN'],
    body: () => ({ url: 'https://93.184.216.34/firebreak', events: ['reset.effective'] }),
    invalid: () =>
      [
        { url: 'http://127.0.0.1:8080/', events: ['reset.effective'] },
        { url: 'ftp://hooks.example/', events: ['reset.effective'] },
        { url: 'not a url', events: ['reset.effective'] },
        { url: '', events: ['reset.effective'] },
        { url: 'https://user:pw@93.184.216.34/', events: ['reset.effective'] },
        { url: 'https://93.184.216.34/', events: [] },
        { url: 'https://93.184.216.34/', events: ['reset.everything'] },
      ].map(json),
  },
  'POST /api/v1/webhooks/[id]/disable': { allowed: ['ADMIN'] },
  'POST /api/v1/webhook-deliveries/[id]/replay': { allowed: ['ADMIN'] },
  'POST /api/v1/tokens/[id]/revoke': { allowed: ROLES }, // own tokens, or anyone's as ADMIN (lib/auth/tokens.test.ts)
  'POST /api/v1/tokens': {
    allowed: ROLES, // each for their own account, in a session (a token is refused: lib/auth/approval.test.ts)
    body: (ctx, role) => ({ ownerEmail: ctx.email[role], name: 'mine' }),
    invalid: (ctx) =>
      ['true', '[30]', '0', '3651', '1.5', '"30"', '1e400', 'null'].map(
        (days) => `{"ownerEmail": ${json(ctx.email.ADMIN)}, "name": "mine", "expiresInDays": ${days}}`,
      ),
  },
};

const API = join(process.cwd(), 'app/api/v1');
function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(join(dir, entry.name)) : entry.name === 'route.ts' ? [join(dir, entry.name)] : [],
  );
}
const pathOf = (file: string) => `/api/v1/${relative(API, file).replace(/\/?route\.ts$/, '')}`.replace(/\/$/, '');

export type Handler = RouteHandler<StaffActor>;
const METHODS = ['GET', ...WRITE_METHODS] as const;

/** Every handler under app/api/v1 (but the JSON 404 for unknown paths), by `METHOD /api/v1/…` (folders as on disk). */
export async function discoverRoutes() {
  const found = new Map<string, Handler>();
  for (const file of routeFiles(API)) {
    if (file.includes('[...path]')) continue;
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS)
      if (typeof module[method] === 'function') found.set(`${method} ${pathOf(file)}`, module[method] as Handler);
  }
  return found;
}

/** Every write handler under app/api/v1, by `METHOD /api/v1/…`. */
export async function discoverWrites() {
  return new Map([...(await discoverRoutes())].filter(([route]) => !route.startsWith('GET ')));
}

/** Staff of every role with a token each, an incident, a pending campaign, a frozen BULK stream. */
export async function setupRouteContext(): Promise<RouteContext> {
  const email = {} as Record<Role, string>;
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const staff = await staffActor(role);
    email[role] = staff.email;
    tokens[role] = (
      await createApiToken(systemActor('test'), { ownerEmail: staff.email, name: `routes ${role}` })
    ).token;
  }
  const { incident, campaign, credentialChange, disclosure, channel } = await pendingWork('routes');
  return {
    incident: incident.reference,
    campaign: campaign.id,
    credentialChange,
    disclosure,
    channel,
    email,
    tokens,
  };
}

/** Calls a route handler as Next would, with a Bearer token (a role's, another, or none) and a raw body. */
export async function callRoute(
  ctx: RouteContext,
  route: string,
  options: { role?: Role; token?: string; body?: BodyInit; contentType?: string },
) {
  const handler = (await discoverRoutes()).get(route);
  if (!handler) throw new Error(`no route ${route}`);
  const [method, template] = route.split(' ');
  const params = {
    id: template.includes('/resets/[id]')
      ? ctx.campaign
      : template.includes('/credential-changes/[id]')
        ? ctx.credentialChange
        : template.includes('/disclosures/[id]')
          ? ctx.disclosure
          : template.includes('/channels/[id]')
            ? ctx.channel
            : ctx.incident,
  };
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const token = options.token ?? (options.role && ctx.tokens[options.role]);
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request(
    `http://localhost${template.replace('[id]', params.id).replace('[externalId]', 'routes1')}`,
    {
      method,
      headers,
      body: options.body,
    },
  );
  return handler(request, { params: Promise.resolve({ ...params, externalId: 'routes1' }) });
}

/** Every table's digest except ApiToken: a token's lastUsedAt is the one thing a refused call may touch. */
export async function fingerprintBesidesTokenUse() {
  const { ApiToken: _, ...rest } = await databaseFingerprint();
  return rest;
}
