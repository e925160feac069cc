// The API contract: the OpenAPI document is valid OpenAPI 3.1, names every route file on disk
// (and nothing else), and every answer the routes really give — success and error, called with a
// real database — validates against the schema the document publishes for it. Objects in the
// document are closed (additionalProperties: false), so a field a view does not declare fails here.
import { generateKeyPairSync } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/api/openapi';
import { OPERATIONS } from '@/lib/api/operations';
import type { StaffActor } from '@/lib/auth/actor';
import { db } from '@/lib/db';
import { createResetRunner } from '@/lib/resets/fanout';
import { discoverRoutes, type Handler, type ROLES, type RouteContext, setupRouteContext } from '../../test/api-routes';
import { OLD_PASSWORD, seedCustomers } from '../../test/customers';
import { completeNoticeBody, staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';
import { until } from '../../test/until';

// A deployment's settings for signed notices, read by config() on first use (below).
process.env.FIREBREAK_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
process.env.FIREBREAK_PUBLIC_URL = 'https://status.exchange.example';

type Doc = ReturnType<typeof openApiDocument> & { paths: Record<string, Record<string, OperationDoc>> };
type OperationDoc = {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
};

const doc = openApiDocument() as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/** `/api/v1/incidents/[id]` (as on disk) → `/incidents/{id}` (as documented). */
const documented = (route: string) => route.replace(/^\/api\/v1/, '').replace(/\[(\w+)\]/g, '{$1}');

type Call = { method: string; template: string; status: number; contentType: string; body: string };
const calls: Call[] = [];
let routes: Map<string, Handler>;
let ctx: RouteContext;

/**
 * Calls the handler of `METHOD /api/v1/…` (template as on disk, e.g. `/api/v1/resets/[id]`) as Next
 * would, and records the answer for validation. `as`: a role's API token, or a signed-in person.
 */
async function call(
  route: string,
  options: {
    as?: (typeof ROLES)[number] | StaffActor;
    params?: Record<string, string>;
    query?: string;
    body?: unknown;
    text?: string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const [method, template] = route.split(' ');
  const handler = routes.get(route);
  if (!handler) throw new Error(`no route ${route}`);
  const params = options.params ?? {};
  const path = template.replace(/\[(\w+)\]/g, (_, name: string) => params[name]);
  const headers: Record<string, string> = { ...options.headers };
  if (typeof options.as === 'string') headers.authorization = `Bearer ${ctx.tokens[options.as]}`;
  if (options.body !== undefined || options.text !== undefined)
    headers['content-type'] = options.contentType ?? 'application/json';
  const request = new Request(`http://localhost${path}${options.query ? `?${options.query}` : ''}`, {
    method,
    headers,
    body: options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const run = typeof options.as === 'object' ? handler.forActor(options.as) : handler;
  const response = await run(request, { params: Promise.resolve(params) });
  const body = await response.text();
  calls.push({
    method,
    template: documented(template),
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body,
  });
  if (response.status === 500) throw new Error(`${route} answered ${response.status}: ${body}`);
  return { status: response.status, json: () => JSON.parse(body), text: body };
}

/** The schema the document gives for an answer: its status (or the 4XX/5XX range) and content type. */
function documentedSchema(c: Call) {
  const operation = doc.paths[c.template]?.[c.method.toLowerCase()];
  if (!operation) return { problem: `${c.method} ${c.template} is not in the document` };
  const response = operation.responses[String(c.status)] ?? operation.responses[`${String(c.status)[0]}XX`];
  if (!response) return { problem: `${c.method} ${c.template}: status ${c.status} is not documented` };
  const type = c.contentType.split(';')[0].trim();
  const content = response.content?.[type];
  if (!content) return { problem: `${c.method} ${c.template} ${c.status}: content type ${type} is not documented` };
  return { schema: { ...content.schema, components: doc.components } };
}

beforeAll(async () => {
  routes = await discoverRoutes();
  ctx = await setupRouteContext();
  await seedCustomers(1, { prefix: 'contract' });
}, 120_000);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents exactly the route files on disk, each under the operation its handler serves', () => {
    const onDisk = [...routes].map(([route, handler]) => {
      const [method, template] = route.split(' ');
      return { route: `${method} ${documented(template)}`, serves: handler.operation };
    });
    for (const { route, serves } of onDisk) expect(serves, `the handler of ${route}`).toBe(route);
    expect(onDisk.map((r) => r.route).sort()).toEqual(Object.keys(OPERATIONS).sort());
    const inDocument = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(inDocument.sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('closes every object it describes, so an undeclared field is a contract violation', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) open.push(at);
      for (const [key, value] of Object.entries(schema)) walk(value, `${at}/${key}`);
    };
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(item)) walk(operation.responses, `${method} ${path}`);
    walk(doc.components?.schemas, 'components');
    expect(open).toEqual([]);
  });

  it('is served at /api/v1/openapi.json to anyone', async () => {
    const response = await call('GET /api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

describe('every operation, called for real, answers what the document says', () => {
  it('walks the whole API: incidents, resets, customers, mail, staff, tokens, audit, customer login', async () => {
    const reference = ctx.incident;
    const inc = { id: reference };

    // Service
    expect((await call('GET /api/v1/health')).status).toBe(503); // no worker has written a heartbeat
    await sql(
      `INSERT INTO "WorkerHeartbeat" (id, hostname, pid, "startedAt", "lastSeenAt") VALUES ('contract', 'test', 1, now(), now())`,
    );
    expect((await call('GET /api/v1/health')).json()).toEqual({
      ok: true,
      database: { ok: true },
      worker: { ok: true, alive: 1, lastSeenAt: expect.any(String) },
    });
    const me = await call('GET /api/v1/me', { as: 'COMMS' });
    // The actor object carries more than the view declares (kind, tokenId): none of it leaves.
    expect(Object.keys(me.json()).sort()).toEqual(['email', 'id', 'name', 'role', 'via']);

    // Incidents
    expect((await call('GET /api/v1/incidents', { as: 'EXECUTIVE', query: 'open=true' })).status).toBe(200);
    const declared = await call('POST /api/v1/incidents', {
      as: 'SECURITY',
      body: { title: 'Contract', kind: 'DATA_BREACH', severity: 'SEV2', summary: 'The API contract test' },
    });
    expect(declared.status).toBe(201);
    expect(declared.json().incident).not.toHaveProperty('declaredById');
    const second = { id: declared.json().incident.reference as string };
    expect((await call('GET /api/v1/incidents/[id]', { as: 'COMMS', params: inc })).status).toBe(200);
    expect(
      (await call('PATCH /api/v1/incidents/[id]', { as: 'SECURITY', params: second, body: { severity: 'SEV1' } }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST /api/v1/incidents/[id]/timeline', { as: 'COMMS', params: inc, body: { message: 'a note' } }))
        .status,
    ).toBe(201);
    expect(
      (
        await call('POST /api/v1/incidents/[id]/milestones', {
          as: 'SECURITY',
          params: inc,
          body: { kind: 'REPORT_FILED', report: 'GDPR_33', note: 'filed' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST /api/v1/incidents/[id]/affected', {
          as: 'SECURITY',
          params: second,
          body: { externalIds: ['routes1'], emails: ['nobody@nowhere.example'] },
        })
      ).json(),
    ).toEqual({ added: 1, matched: 1, unknown: 1, unknownSample: ['nobody@nowhere.example'] });

    // Blast radius: a log (one malformed line), its figures, a search, the export, the marking.
    expect((await call('GET /api/v1/incidents/[id]/exposure', { as: 'EXECUTIVE', params: second })).json()).toEqual({
      figures: null,
      logs: [],
    });
    const log = await call('POST /api/v1/incidents/[id]/mail-logs', {
      as: 'SECURITY',
      params: second,
      query: 'name=tool.jsonl',
      contentType: 'application/x-ndjson',
      text: `${JSON.stringify({ messageId: 'contract-1', to: '"Doe, J" <routes1@customers.example>, other@elsewhere.example' })}\nnot json\n`,
    });
    expect(log.status).toBe(201);
    expect(log.json()).toMatchObject({
      messages: 1,
      malformed: 1,
      malformedLines: [{ line: 2, message: 'not valid JSON' }],
    });
    const blast = await call('GET /api/v1/incidents/[id]/exposure', { as: 'COMMS', params: second });
    expect(blast.json().figures).toMatchObject({ exposedAddresses: 2, exposedCustomers: 1, unmatchedAddresses: 1 });
    expect(
      (
        await call('GET /api/v1/incidents/[id]/exposure/search', {
          as: 'EXECUTIVE',
          params: second,
          query: 'address=Routes1%40Customers.example',
        })
      ).json(),
    ).toMatchObject({ exposed: true, seenBy: 1, seenBySample: ['other@elsewhere.example'] });
    expect(
      (
        await call('GET /api/v1/incidents/[id]/exposure/search', {
          as: 'EXECUTIVE',
          params: second,
          query: 'address=x',
        })
      ).status,
    ).toBe(400);
    expect((await call('GET /api/v1/incidents/[id]/exposure/export', { as: 'EXECUTIVE', params: second })).text).toBe(
      'address,externalId,messages,seenBy\nother@elsewhere.example,,1,1\nroutes1@customers.example,routes1,1,1\n',
    );
    expect(
      (
        await call('POST /api/v1/incidents/[id]/exposure/affected', {
          as: 'SECURITY',
          params: second,
          body: { version: blast.json().figures.version + 1 },
        })
      ).json(),
    ).toMatchObject({ error: 'blast_radius_changed' });
    expect(
      (
        await call('POST /api/v1/incidents/[id]/exposure/affected', {
          as: 'SECURITY',
          params: second,
          body: { version: blast.json().figures.version },
        })
      ).json(),
    ).toEqual({ exposedCustomers: 1, added: 0, affected: 1 });

    // Resets: one cancelled, one approved (by a second person, signed in) and run to the end.
    const requested = await call('POST /api/v1/incidents/[id]/resets', {
      as: 'SECURITY',
      params: second,
      body: { scope: 'AFFECTED' },
    });
    expect(requested.status).toBe(201);
    const campaign = { id: requested.json().campaign.id as string };
    expect(
      (await call('POST /api/v1/resets/[id]/cancel', { as: 'SECURITY', params: { id: ctx.campaign } })).status,
    ).toBe(200);
    const approver = await staffActor('SECURITY');
    expect((await call('POST /api/v1/resets/[id]/approve', { as: approver, params: campaign })).status).toBe(200);
    const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL! });
    await runner.start();
    await until(async () => (await db.resetCampaign.findUniqueOrThrow({ where: campaign })).status === 'COMPLETED');
    await runner.stop();
    expect(
      (await call('GET /api/v1/resets/[id]', { as: 'EXECUTIVE', params: campaign })).json().campaign,
    ).toMatchObject({ status: 'COMPLETED', progress: 1 });
    expect((await call('GET /api/v1/incidents/[id]/resets', { as: 'COMMS', params: second })).status).toBe(200);

    // Disclosures: drafted from the template, revised into a complete notice, approved by a second
    // person in a session, published signed, and verified.
    const drafted = await call('POST /api/v1/incidents/[id]/disclosures', { as: 'COMMS', params: second, body: {} });
    expect(drafted.status).toBe(201);
    const notice = { id: drafted.json().disclosure.id as string };
    expect(drafted.json().disclosure.problems.length).toBeGreaterThan(0); // the template's prompts
    const complete = await call('POST /api/v1/disclosures/[id]/revisions', {
      as: 'COMMS',
      params: notice,
      body: {
        title: 'Notice of Data Breach',
        body: completeNoticeBody({ publicUrl: 'https://status.exchange.example', channels: ['X: @routes'] }),
      },
    });
    expect(complete.json().disclosure).toMatchObject({ latestRevision: 2, problems: [] });
    expect((await call('POST /api/v1/disclosures/[id]/submit', { as: 'COMMS', params: notice })).status).toBe(200);
    const reviewer = await staffActor('EXECUTIVE');
    const approved = await call('POST /api/v1/disclosures/[id]/approve', {
      as: reviewer,
      params: notice,
      body: { revision: 2, contentHash: complete.json().disclosure.revisions[0].contentHash },
    });
    expect(approved.json().disclosure.status).toBe('APPROVED');
    const published = await call('POST /api/v1/disclosures/[id]/publish', {
      as: 'COMMS',
      params: notice,
      body: { revision: 2, notify: 'NONE' },
    });
    expect(published.json().disclosure.status).toBe('PUBLISHED');
    expect((await call('GET /api/v1/disclosures/[id]', { as: 'EXECUTIVE', params: notice })).status).toBe(200);
    expect((await call('GET /api/v1/incidents/[id]/disclosures', { as: 'EXECUTIVE', params: second })).status).toBe(
      200,
    );
    const signedNotice = published.json().disclosure.notices[0].signed;
    expect((await call('POST /api/v1/notices/verify', { body: signedNotice })).json()).toMatchObject({
      authentic: true,
    });
    expect(
      (await call('POST /api/v1/notices/verify', { body: { text: 'Send 1 BTC to verify your account.' } })).json(),
    ).toMatchObject({ authentic: false });

    // The status page: channels listed and marked, the public JSON.
    const listed = await call('POST /api/v1/channels', {
      as: 'SECURITY',
      body: { name: 'X', kind: 'X', handle: '@contract', url: 'https://x.com/contract' },
    });
    expect(listed.status).toBe(201);
    const channel = { id: listed.json().channel.id as string };
    expect(
      (
        await call('POST /api/v1/channels/[id]/status', {
          as: 'SECURITY',
          params: channel,
          body: { status: 'COMPROMISED', reason: 'the contract test', publicNote: 'Ignore it.' },
        })
      ).json().channel,
    ).toMatchObject({ status: 'COMPROMISED', publicNote: 'Ignore it.' });
    expect((await call('GET /api/v1/channels', { as: 'EXECUTIVE' })).json().channels.length).toBeGreaterThan(0);
    const { refreshStatusSnapshot } = await import('@/lib/status/snapshot');
    await refreshStatusSnapshot();
    const status = await call('GET /api/v1/status');
    expect(status.status).toBe(200);
    expect(status.json().notices).toEqual([expect.objectContaining({ id: notice.id })]);

    // Customer login (reference): the reset applies to routes1, whose link is in the outbox.
    const login = await call('POST /api/v1/customer/login', {
      body: { email: 'contract1@customers.example', password: OLD_PASSWORD },
    });
    expect(login.status).toBe(200);
    const session = await call('GET /api/v1/customer/session', {
      headers: { authorization: `Bearer ${login.json().sessionToken}` },
    });
    expect(session.json()).toMatchObject({ externalId: 'contract1' });
    const [mail] = await sql<{ text: string }>(`SELECT text FROM "MailMessage" WHERE "campaignId" = $1`, [campaign.id]);
    const token = /\/account\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect(
      (await call('POST /api/v1/customer/reset', { body: { token, newPassword: 'a brand new passphrase 2026' } }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST /api/v1/customer/login', { body: { email: 'routes1@customers.example', password: 'x' } }))
        .status,
    ).toBe(401);

    // Customers
    const contract1 = await call('GET /api/v1/customers/[externalId]/credential-status', {
      as: 'EXECUTIVE',
      params: { externalId: 'contract1' },
    });
    expect(contract1.json()).toMatchObject({ externalId: 'contract1', status: expect.any(String) });
    expect(
      (
        await call('GET /api/v1/customers/[externalId]/credential-status', {
          as: 'COMMS',
          params: { externalId: 'nobody' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('POST /api/v1/customers/credential-status', {
          as: 'COMMS',
          body: { externalIds: ['contract1', 'nobody'] },
        })
      ).json(),
    ).toMatchObject({ results: [contract1.json()], unknown: ['nobody'] });
    const imported = await call('POST /api/v1/customers/import', {
      as: 'SECURITY',
      text: 'externalId,email\ncontract1,contract-moved@customers.example\n',
      contentType: 'text/csv',
      query: 'credentialChangeReason=the%20contract%20test',
    });
    expect(imported.status).toBe(201);
    const changes = { id: imported.json().credentialChanges.requestId as string };
    expect((await call('GET /api/v1/customers/credential-changes', { as: 'ADMIN' })).status).toBe(200);
    expect(
      (await call('GET /api/v1/customers/credential-changes/[id]', { as: 'ADMIN', params: changes })).json().request
        .changes,
    ).toEqual([expect.objectContaining({ externalId: 'contract1', passwordHash: false })]);
    expect(
      (await call('POST /api/v1/customers/credential-changes/[id]/approve', { as: approver, params: changes })).status,
    ).toBe(200);
    expect(
      (
        await call('POST /api/v1/customers/credential-changes/[id]/cancel', {
          as: 'SECURITY',
          params: { id: ctx.credentialChange },
        })
      ).status,
    ).toBe(200);

    // Mail
    expect((await call('GET /api/v1/mail', { as: 'EXECUTIVE' })).status).toBe(200);
    expect(
      (await call('POST /api/v1/mail/freeze', { as: 'SECURITY', body: { streams: ['SECURITY'], reason: 'contract' } }))
        .status,
    ).toBe(200);
    expect((await call('GET /api/v1/mail/held', { as: 'COMMS', query: 'holdReason=FROZEN' })).status).toBe(200);
    expect(
      (
        await call('POST /api/v1/mail/held/release', { as: 'SECURITY', body: { stream: 'SECURITY', dryRun: true } })
      ).json(),
    ).toMatchObject({ dryRun: true, byStream: expect.any(Object) });
    expect(
      (await call('POST /api/v1/mail/held/release', { as: 'SECURITY', body: { stream: 'SECURITY' } })).status,
    ).toBe(200);
    expect(
      (await call('POST /api/v1/mail/held/cancel', { as: 'SECURITY', body: { stream: 'BULK', dryRun: true } })).status,
    ).toBe(200);
    expect(
      (await call('POST /api/v1/mail/held/cancel', { as: 'SECURITY', body: { campaignId: campaign.id } })).status,
    ).toBe(200);
    expect(
      (
        await call('POST /api/v1/mail/held/reconcile', {
          as: 'SECURITY',
          text: 'status=sent message-id=<nothing@nowhere.example>\n',
          contentType: 'text/plain',
          query: 'releaseUnlisted=true',
        })
      ).json(),
    ).toMatchObject({ uncertain: 0, stillFrozen: 0 });
    expect(
      (await call('POST /api/v1/mail/unfreeze', { as: 'SECURITY', body: { streams: 'ALL', reason: 'contract' } }))
        .status,
    ).toBe(200);

    // Staff and tokens
    const staff = await call('GET /api/v1/staff', { as: 'ADMIN' });
    expect(staff.text).not.toMatch(/passwordHash|totpSecret/);
    const created = await call('POST /api/v1/staff', {
      as: 'ADMIN',
      body: { email: 'contract@routes.example', name: 'Contract', role: 'COMMS' },
    });
    expect(created.json()).toMatchObject({ staff: { email: 'contract@routes.example' }, password: expect.any(String) });
    const account = { email: 'contract@routes.example', reason: 'the contract test' };
    for (const route of ['unlock', 'disable', 'enable'])
      expect((await call(`POST /api/v1/staff/${route}`, { as: 'ADMIN', body: account })).status).toBe(200);
    expect(
      (await call('POST /api/v1/staff/role', { as: 'ADMIN', body: { ...account, role: 'EXECUTIVE' } })).status,
    ).toBe(200);
    const owner = await staffActor('COMMS');
    const minted = await call('POST /api/v1/tokens', { as: owner, body: { name: 'contract' } });
    expect(minted.status).toBe(201);
    expect((await call('GET /api/v1/tokens', { as: 'ADMIN', query: 'all=true' })).text).not.toContain(
      minted.json().token,
    );
    expect(
      (await call('POST /api/v1/tokens/[id]/revoke', { as: owner, params: { id: minted.json().id } })).json(),
    ).toEqual({ id: minted.json().id, revoked: true });

    // Webhooks: an endpoint (a public address: nothing is contacted), a delivery, its replay.
    const hook = await call('POST /api/v1/webhooks', {
      as: 'ADMIN',
      body: { url: 'https://93.184.216.34/firebreak', events: ['incident.declared'], description: 'contract' },
    });
    expect(hook.json()).toMatchObject({ endpoint: { events: ['incident.declared'] }, secret: expect.any(String) });
    const endpointId = { id: hook.json().endpoint.id as string };
    await call('POST /api/v1/incidents', {
      as: 'SECURITY',
      body: { title: 'For the webhook', kind: 'OTHER', severity: 'SEV3', summary: 's' },
    });
    expect((await call('GET /api/v1/webhooks', { as: 'ADMIN' })).json().endpoints).toEqual([
      expect.objectContaining({ id: endpointId.id, pending: 1, dead: 0 }),
    ]);
    const [delivery] = (await call('GET /api/v1/webhooks/[id]/deliveries', { as: 'ADMIN', params: endpointId })).json()
      .deliveries;
    expect(delivery).toMatchObject({ type: 'incident.declared', status: 'PENDING' });
    expect(
      (await call('POST /api/v1/webhook-deliveries/[id]/replay', { as: 'ADMIN', params: { id: delivery.id } })).status,
    ).toBe(409); // still being attempted
    await sql(`UPDATE "WebhookDelivery" SET status = 'DEAD' WHERE id = $1`, [delivery.id]);
    expect(
      (await call('POST /api/v1/webhook-deliveries/[id]/replay', { as: 'ADMIN', params: { id: delivery.id } })).json(),
    ).toMatchObject({ delivery: { id: delivery.id, status: 'PENDING' } });
    expect(
      (await call('POST /api/v1/webhooks/[id]/disable', { as: 'ADMIN', params: endpointId })).json(),
    ).toMatchObject({
      endpoint: { disabledAt: expect.any(String) },
    });
    expect(
      (
        await call('POST /api/v1/webhooks', {
          as: 'ADMIN',
          body: { url: 'http://169.254.169.254/', events: ['mail.frozen'] },
        })
      ).json(),
    ).toMatchObject({ error: 'webhook_target_refused' });

    // Metrics: the Prometheus text format.
    const scraped = await call('GET /api/v1/metrics', { as: 'EXECUTIVE' });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/^firebreak_mail_stream_frozen\{stream="BULK"\} [01]$/m);

    // Audit: JSON Lines and CSV, and the chain check.
    const lines = await call('GET /api/v1/audit', { as: 'ADMIN', query: 'limit=10' });
    expect(lines.text.trim().split('\n')).toHaveLength(10);
    expect((await call('GET /api/v1/audit', { as: 'ADMIN', query: 'format=csv&limit=5' })).status).toBe(200);
    expect((await call('GET /api/v1/audit/verify', { as: 'ADMIN' })).json()).toMatchObject({ ok: true });

    // Errors are documented answers too.
    expect((await call('GET /api/v1/me', { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect((await call('GET /api/v1/incidents/[id]', { as: 'ADMIN', params: { id: 'INC-1999-9999' } })).status).toBe(
      404,
    );
    expect((await call('GET /api/v1/mail/held', { as: 'ADMIN', query: 'holdReason=LOST' })).status).toBe(400);
    expect((await call('POST /api/v1/staff', { as: 'COMMS', body: {} })).status).toBe(403);
    expect(
      (await call('POST /api/v1/mail/unfreeze', { as: 'ADMIN', body: { streams: 'ALL', reason: 'again' } })).status,
    ).toBe(409);
  }, 120_000);

  it('called every operation with its documented success status', () => {
    const succeeded = new Set(
      calls
        .filter((c) => c.status < 300)
        .map((c) => `${c.method} ${c.template}`)
        .filter((key) => key in OPERATIONS),
    );
    expect(Object.keys(OPERATIONS).filter((key) => !succeeded.has(key))).toEqual([]);
  });

  it('every answer validates against the schema the document gives for it', () => {
    expect(calls.length).toBeGreaterThan(Object.keys(OPERATIONS).length);
    const failures: string[] = [];
    for (const c of calls) {
      const { schema, problem } = documentedSchema(c);
      if (problem) {
        failures.push(problem);
        continue;
      }
      const validate = ajv.compile(schema!);
      const values = c.contentType.startsWith('application/x-ndjson')
        ? c.body
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line))
        : c.contentType.startsWith('application/json')
          ? [JSON.parse(c.body)]
          : [c.body];
      for (const value of values)
        if (!validate(value))
          failures.push(
            `${c.method} ${c.template} ${c.status}: ${ajv.errorsText(validate.errors)} in ${c.body.slice(0, 300)}`,
          );
    }
    expect(failures).toEqual([]);
  });

  it('a view drops what it does not declare, and the checker would see it if it did not', () => {
    const me = calls.find((c) => c.template === '/me' && c.status === 200)!;
    const { schema } = documentedSchema(me);
    const validate = ajv.compile(schema!);
    expect(validate(JSON.parse(me.body))).toBe(true);
    expect(validate({ ...JSON.parse(me.body), tokenId: 'x' })).toBe(false);
  });
});
