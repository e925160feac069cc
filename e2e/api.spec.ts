import { expect, test, type APIRequestContext } from '@playwright/test';
import { demoEmail } from './config';
import { signInAs } from './helpers';

const expectJsonError = async (response: Awaited<ReturnType<APIRequestContext['get']>>, status: number, error: string) => {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  const body: { error: string; message: string; details?: { fields: Record<string, string> } } = (await response.json()) as never;
  expect(body).toMatchObject({ error, message: expect.any(String) });
  return body;
};

test.describe('API authentication and roles', () => {
  let commsToken: string;
  let adminToken: string;

  test.beforeAll(async ({ browser }) => {
    // An ADMIN signs in and issues tokens through the API, as automation would be set up.
    const page = await browser.newPage();
    await signInAs(page, demoEmail('ADMIN'));
    const issue = async (role: 'COMMS' | 'ADMIN') => {
      const response = await page.request.post('/api/v1/tokens', { data: { ownerEmail: demoEmail(role), name: `e2e ${role}` } });
      expect(response.status()).toBe(201);
      return (await response.json()).token as string;
    };
    commsToken = await issue('COMMS');
    adminToken = await issue('ADMIN');
    await page.close();
  });

  test('health is public and reports the database and a live worker', async ({ request }) => {
    const response = await request.get('/api/v1/health');
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, database: { ok: true }, worker: { ok: true } });
  });

  test('a call without a token gets 401 JSON', async ({ request }) => {
    await expectJsonError(await request.get('/api/v1/me'), 401, 'unauthenticated');
    await expectJsonError(await request.get('/api/v1/audit'), 401, 'unauthenticated');
    await expectJsonError(await request.post('/api/v1/staff', { data: {} }), 401, 'unauthenticated');
  });

  test('a bad or revoked-looking token gets 401 JSON', async ({ request }) => {
    await expectJsonError(await request.get('/api/v1/me', { headers: { authorization: 'Bearer fbk_nope' } }), 401, 'unauthenticated');
    await expectJsonError(await request.get('/api/v1/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }), 401, 'unauthenticated');
  });

  test('a COMMS token on an ADMIN-only route gets 403 JSON and changes nothing', async ({ request }) => {
    const auth = { authorization: `Bearer ${commsToken}` };
    expect(await (await request.get('/api/v1/me', { headers: auth })).json()).toMatchObject({ role: 'COMMS', via: 'token' });
    await expectJsonError(await request.get('/api/v1/staff', { headers: auth }), 403, 'forbidden');
    await expectJsonError(
      await request.post('/api/v1/staff', { headers: auth, data: { email: 'sneaky@example.com', name: 'Sneaky', role: 'ADMIN' } }),
      403,
      'forbidden',
    );
    await expectJsonError(await request.post('/api/v1/tokens', { headers: auth, data: { ownerEmail: demoEmail('ADMIN'), name: 'escalate' } }), 403, 'forbidden');
    const staff = await (await request.get('/api/v1/staff', { headers: { authorization: `Bearer ${adminToken}` } })).json();
    expect(staff.staff.map((s: { email: string }) => s.email)).not.toContain('sneaky@example.com');
  });

  test('bad input gets a 4xx JSON error and writes nothing', async ({ request }) => {
    const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    await expectJsonError(await request.post('/api/v1/staff', { headers: auth, data: Buffer.from('{"email": ') }), 400, 'invalid_json');
    const invalid = await expectJsonError(await request.post('/api/v1/staff', { headers: auth, data: { email: 'nope', name: '', role: 'ROOT' } }), 400, 'invalid_input');
    expect(Object.keys(invalid.details!.fields).sort()).toEqual(['email', 'name', 'role']);
    await expectJsonError(await request.post('/api/v1/staff', { headers: auth, data: Buffer.alloc(2 * 1024 * 1024, 'x') }), 413, 'payload_too_large');
    await expectJsonError(await request.post('/api/v1/staff', { headers: auth, data: { email: demoEmail('COMMS'), name: 'Dup', role: 'COMMS' } }), 409, 'staff_exists');
    await expectJsonError(await request.get('/api/v1/no-such-thing', { headers: auth }), 404, 'not_found');
  });

  test('the audit export is JSON Lines by default and CSV on request, and the chain verifies', async ({ request }) => {
    const auth = { authorization: `Bearer ${adminToken}` };
    const lines = (await (await request.get('/api/v1/audit', { headers: auth })).text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.map((e: { seq: string }) => Number(e.seq))).toEqual(lines.map((_: unknown, i: number) => i + 1));
    expect(lines.map((e: { action: string }) => e.action)).toContain('token.created');
    const csv = await request.get('/api/v1/audit?format=csv&limit=2', { headers: auth });
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toBe('seq,at,actorType,actorId,actorLabel,action,targetType,targetId,data,prevHash,hash');
    expect(await (await request.get('/api/v1/audit/verify', { headers: auth })).json()).toMatchObject({ ok: true });
  });
});
