import { demoEmail } from './config';
import { ownToken, signedInAs, unfreezeAllMail } from './helpers';
import { type APIRequestContext, expect, test } from './test';

const expectJsonError = async (
  response: Awaited<ReturnType<APIRequestContext['get']>>,
  status: number,
  error: string,
) => {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  const body: { error: string; message: string; details?: { fields: Record<string, string> } } =
    (await response.json()) as never;
  expect(body).toMatchObject({ error, message: expect.any(String) });
  return body;
};

test.describe('API authentication and roles', () => {
  let commsToken: string;
  let adminToken: string;

  test.beforeAll(async ({ browser }) => {
    // Each owner signs in and creates their own token, as automation would be set up.
    commsToken = await ownToken(browser, 'COMMS');
    adminToken = await ownToken(browser, 'ADMIN');
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
    await expectJsonError(
      await request.get('/api/v1/me', { headers: { authorization: 'Bearer fbk_nope' } }),
      401,
      'unauthenticated',
    );
    await expectJsonError(
      await request.get('/api/v1/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
      401,
      'unauthenticated',
    );
  });

  test('a COMMS token on an ADMIN-only route gets 403 JSON and changes nothing', async ({ browser, request }) => {
    const auth = { authorization: `Bearer ${commsToken}` };
    expect(await (await request.get('/api/v1/me', { headers: auth })).json()).toMatchObject({
      role: 'COMMS',
      via: 'token',
    });
    await expectJsonError(await request.get('/api/v1/staff', { headers: auth }), 403, 'forbidden');
    await expectJsonError(
      await request.post('/api/v1/staff', {
        headers: auth,
        data: { email: 'sneaky@example.com', name: 'Sneaky', role: 'ADMIN' },
      }),
      403,
      'forbidden',
    );
    // A token cannot mint tokens, let alone one acting as an ADMIN …
    await expectJsonError(
      await request.post('/api/v1/tokens', {
        headers: auth,
        data: { ownerEmail: demoEmail('ADMIN'), name: 'escalate' },
      }),
      403,
      'session_required',
    );
    await expectJsonError(
      await request.post('/api/v1/tokens', { headers: auth, data: { name: 'another of mine' } }),
      403,
      'session_required',
    );
    // … and nobody, signed in, mints one that acts as someone else.
    await signedInAs(browser, demoEmail('COMMS'), async (page) =>
      expectJsonError(
        await page.request.post('/api/v1/tokens', { data: { ownerEmail: demoEmail('ADMIN'), name: 'escalate' } }),
        403,
        'token_for_other',
      ),
    );
    const staff = await (
      await request.get('/api/v1/staff', { headers: { authorization: `Bearer ${adminToken}` } })
    ).json();
    expect(staff.staff.map((s: { email: string }) => s.email)).not.toContain('sneaky@example.com');
  });

  test('bad input gets a 4xx JSON error and writes nothing', async ({ request }) => {
    const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    await expectJsonError(
      await request.post('/api/v1/staff', { headers: auth, data: Buffer.from('{"email": ') }),
      400,
      'invalid_json',
    );
    const invalid = await expectJsonError(
      await request.post('/api/v1/staff', { headers: auth, data: { email: 'nope', name: '', role: 'ROOT' } }),
      400,
      'invalid_input',
    );
    expect(Object.keys(invalid.details!.fields).sort()).toEqual(['email', 'name', 'role']);
    await expectJsonError(
      await request.post('/api/v1/staff', { headers: auth, data: Buffer.alloc(2 * 1024 * 1024, 'x') }),
      413,
      'payload_too_large',
    );
    await expectJsonError(
      await request.post('/api/v1/staff', {
        headers: auth,
        data: { email: demoEmail('COMMS'), name: 'Dup', role: 'COMMS' },
      }),
      409,
      'staff_exists',
    );
    await expectJsonError(await request.get('/api/v1/no-such-thing', { headers: auth }), 404, 'not_found');
  });

  test('the audit export is JSON Lines by default and CSV on request, and the chain verifies', async ({ request }) => {
    const auth = { authorization: `Bearer ${adminToken}` };
    const lines = (await (await request.get('/api/v1/audit', { headers: auth })).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.map((e: { seq: string }) => Number(e.seq))).toEqual(lines.map((_: unknown, i: number) => i + 1));
    expect(lines.map((e: { action: string }) => e.action)).toContain('token.created');
    const csv = await request.get('/api/v1/audit?format=csv&limit=2', { headers: auth });
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toBe(
      'seq,at,actorType,actorId,actorLabel,action,targetType,targetId,data,prevHash,hash',
    );
    expect(await (await request.get('/api/v1/audit/verify', { headers: auth })).json()).toMatchObject({ ok: true });
  });
});

test.describe('incidents API', () => {
  let tokens: Record<'SECURITY' | 'COMMS' | 'EXECUTIVE', string>;

  test.beforeAll(async ({ browser }) => {
    tokens = {
      SECURITY: await ownToken(browser, 'SECURITY'),
      COMMS: await ownToken(browser, 'COMMS'),
      EXECUTIVE: await ownToken(browser, 'EXECUTIVE'),
    };
  });

  const valid = { title: 'API-declared breach', kind: 'DATA_BREACH', severity: 'SEV2', summary: 'From automation.' };
  const bearer = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

  test('SECURITY declares, updates, notes and records milestones; everything is on the timeline', async ({
    request,
  }) => {
    const created = await request.post('/api/v1/incidents', {
      headers: bearer('SECURITY'),
      data: { ...valid, detectedAt: new Date(Date.now() - 7_200_000).toISOString() },
    });
    expect(created.status()).toBe(201);
    const { incident } = await created.json();
    expect(incident.reference).toMatch(/^INC-\d{4}-\d{4}$/);

    const patched = await request.patch(`/api/v1/incidents/${incident.reference}`, {
      headers: bearer('SECURITY'),
      data: { status: 'CONTAINED', materialAt: new Date().toISOString() },
    });
    expect(patched.status()).toBe(200);
    expect(
      (
        await request.post(`/api/v1/incidents/${incident.id}/timeline`, {
          headers: bearer('EXECUTIVE'),
          data: { message: 'Board briefed' },
        })
      ).status(),
    ).toBe(201);
    expect(
      (
        await request.post(`/api/v1/incidents/${incident.id}/milestones`, {
          headers: bearer('SECURITY'),
          data: { kind: 'REPORT_FILED', report: 'GDPR_33' },
        })
      ).status(),
    ).toBe(201);

    const full = (await (await request.get(`/api/v1/incidents/${incident.id}`, { headers: bearer('COMMS') })).json())
      .incident;
    expect(full.status).toBe('CONTAINED');
    expect(full.clocks.find((c: { id: string }) => c.id === 'GDPR_33').state).toBe('MET');
    expect(full.clocks.find((c: { id: string }) => c.id === 'SEC_8K').state).toBe('RUNNING');
    expect(full.timeline.map((t: { message: string }) => t.message)).toEqual(
      expect.arrayContaining(['Status DECLARED → CONTAINED', 'Board briefed']),
    );
  });

  test('COMMS and EXECUTIVE cannot declare or change an incident (403 JSON)', async ({ request }) => {
    for (const role of ['COMMS', 'EXECUTIVE'] as const) {
      await expectJsonError(
        await request.post('/api/v1/incidents', { headers: bearer(role), data: valid }),
        403,
        'forbidden',
      );
    }
    const { incident } = await (
      await request.post('/api/v1/incidents', { headers: bearer('SECURITY'), data: valid })
    ).json();
    await expectJsonError(
      await request.patch(`/api/v1/incidents/${incident.id}`, { headers: bearer('COMMS'), data: { status: 'CLOSED' } }),
      403,
      'forbidden',
    );
  });

  test('invalid input gets 4xx and writes nothing', async ({ request }) => {
    const count = async () =>
      (await (await request.get('/api/v1/incidents', { headers: bearer('SECURITY') })).json()).incidents.length;
    const before = await count();
    const post = (data: unknown) =>
      request.post('/api/v1/incidents', {
        headers: { ...bearer('SECURITY'), 'content-type': 'application/json' },
        data: data as object,
      });
    const missing = await expectJsonError(await post({ ...valid, title: undefined }), 400, 'invalid_input');
    expect(missing.details!.fields).toHaveProperty('title');
    expect(
      (await expectJsonError(await post({ ...valid, severity: 'SEV0' }), 400, 'invalid_input')).details!.fields,
    ).toHaveProperty('severity');
    const future = await expectJsonError(
      await post({ ...valid, detectedAt: new Date(Date.now() + 86_400_000).toISOString() }),
      400,
      'invalid_input',
    );
    expect(future.message).toContain('future');
    await expectJsonError(await post(Buffer.alloc(10 * 1024 * 1024, 'a')), 413, 'payload_too_large');
    await expectJsonError(
      await request.get('/api/v1/incidents/INC-1999-0001', { headers: bearer('SECURITY') }),
      404,
      'not_found',
    );
    expect(await count()).toBe(before);
  });
});

test.describe('mail API', () => {
  // Starts with no stream frozen (the test checks TRANSACTIONAL is not) and leaves none frozen.
  test.beforeEach(async ({ browser }) => unfreezeAllMail(browser));
  test.afterEach(async ({ browser }) => unfreezeAllMail(browser));

  test('COMMS and EXECUTIVE cannot freeze, unfreeze, release or cancel (403 JSON); SECURITY can', async ({
    browser,
    request,
  }) => {
    const tokens = {
      COMMS: await ownToken(browser, 'COMMS'),
      EXECUTIVE: await ownToken(browser, 'EXECUTIVE'),
      SECURITY: await ownToken(browser, 'SECURITY'),
    };
    const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

    for (const role of ['COMMS', 'EXECUTIVE'] as const) {
      await expectJsonError(
        await request.post('/api/v1/mail/freeze', {
          headers: as(role),
          data: { streams: 'ALL', reason: 'not mine to do' },
        }),
        403,
        'forbidden',
      );
      await expectJsonError(
        await request.post('/api/v1/mail/unfreeze', {
          headers: as(role),
          data: { streams: 'ALL', reason: 'not mine to do' },
        }),
        403,
        'forbidden',
      );
      await expectJsonError(
        await request.post('/api/v1/mail/held/release', { headers: as(role), data: {} }),
        403,
        'forbidden',
      );
      await expectJsonError(
        await request.post('/api/v1/mail/held/cancel', { headers: as(role), data: {} }),
        403,
        'forbidden',
      );
    }
    const overview = await (await request.get('/api/v1/mail', { headers: as('EXECUTIVE') })).json();
    expect(overview.streams.find((s: { stream: string }) => s.stream === 'TRANSACTIONAL').frozen).toBeNull();

    await expectJsonError(
      await request.post('/api/v1/mail/freeze', {
        headers: as('SECURITY'),
        data: { streams: ['NEWSLETTER'], reason: 'x' },
      }),
      400,
      'invalid_input',
    );
    const frozen = await request.post('/api/v1/mail/freeze', {
      headers: as('SECURITY'),
      data: { streams: ['TRANSACTIONAL'], reason: 'API freeze test' },
    });
    expect(frozen.status()).toBe(200);
    const after = await (await request.get('/api/v1/mail', { headers: as('COMMS') })).json();
    expect(after.streams.find((s: { stream: string }) => s.stream === 'TRANSACTIONAL').frozen).toMatchObject({
      reason: 'API freeze test',
    });
    expect(
      await (
        await request.post('/api/v1/mail/held/release', {
          headers: as('SECURITY'),
          data: { stream: 'TRANSACTIONAL', dryRun: true },
        })
      ).json(),
    ).toMatchObject({ dryRun: true, count: 0 });
    expect(
      (
        await request.post('/api/v1/mail/unfreeze', {
          headers: as('SECURITY'),
          data: { streams: ['TRANSACTIONAL'], reason: 'done' },
        })
      ).status(),
    ).toBe(200);
  });
});
