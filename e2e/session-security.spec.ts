// The rules that protect cookie sessions (the console's), as opposed to Bearer tokens (automation):
// writes must come from our own origin (lib/api/route.ts, staffRoute), and the staff row is read
// on every request, so a role change or a disabled account applies to a live session at once
// (lib/auth/session.ts, actorFromSession).

import { demoEmail, E2E_PASSWORD } from './config';
import { ownToken, signedInAs, signInAs } from './helpers';
import { type APIResponse, expect, test } from './test';

const FOREIGN_ORIGIN = 'https://evil.example';
const incident = (title: string) => ({
  title,
  kind: 'DATA_BREACH',
  severity: 'SEV3',
  summary: 'Declared by the session-security e2e test.',
});

async function expectJsonError(response: APIResponse, status: number, error: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(await response.json()).toMatchObject({ error, message: expect.any(String) });
}

test('a cookie-session write with a foreign Origin gets 403 cross_site and changes nothing; our own Origin, and a Bearer token from anywhere, pass', async ({
  browser,
  request,
  baseURL,
}) => {
  const ownOrigin = new URL(baseURL!).origin; // http://localhost:3100, the console's own origin
  const token = await ownToken(browser, 'SECURITY', 'session-security e2e');
  const stamp = Date.now();

  await signedInAs(browser, demoEmail('SECURITY'), async (page) => {
    const titles = async () => {
      const response = await page.request.get('/api/v1/incidents');
      expect(response.status()).toBe(200);
      return ((await response.json()).incidents as { title: string }[]).map((i) => i.title);
    };
    const before = await titles();

    // The cookie is sent (SameSite aside, as an older or misconfigured browser might); the Origin check refuses.
    const crossSite = `Cross-site declare ${stamp}`;
    await expectJsonError(
      await page.request.post('/api/v1/incidents', { headers: { origin: FOREIGN_ORIGIN }, data: incident(crossSite) }),
      403,
      'cross_site',
    );
    // `null` (sandboxed frames, data: pages) and our host under another scheme are other origins too.
    for (const origin of ['null', ownOrigin.replace(/^http:/, 'https:')]) {
      await expectJsonError(
        await page.request.post('/api/v1/incidents', { headers: { origin }, data: incident(crossSite) }),
        403,
        'cross_site',
      );
    }
    const afterRefusal = await titles();
    expect(afterRefusal).toHaveLength(before.length);
    expect(afterRefusal).not.toContain(crossSite);

    // The same request from the console's own origin goes through.
    const sameSite = `Same-origin declare ${stamp}`;
    const created = await page.request.post('/api/v1/incidents', {
      headers: { origin: ownOrigin },
      data: incident(sameSite),
    });
    expect(created.status()).toBe(201);
    const { incident: declared } = await created.json();
    const afterCreate = await titles();
    expect(afterCreate).toHaveLength(before.length + 1);
    expect(afterCreate).toContain(sameSite);

    // Not only POST: any cookie-authenticated write, e.g. a PATCH, is refused from a foreign origin.
    await expectJsonError(
      await page.request.patch(`/api/v1/incidents/${declared.id}`, {
        headers: { origin: FOREIGN_ORIGIN },
        data: { status: 'CONTAINED' },
      }),
      403,
      'cross_site',
    );
    expect((await (await page.request.get(`/api/v1/incidents/${declared.id}`)).json()).incident.status).toBe(
      'DECLARED',
    );
  });

  // A Bearer token carries no ambient authority: a foreign Origin does not matter (no cookies here).
  const viaToken = `Token declare with a foreign Origin ${stamp}`;
  const tokenCreated = await request.post('/api/v1/incidents', {
    headers: { authorization: `Bearer ${token}`, origin: FOREIGN_ORIGIN },
    data: incident(viaToken),
  });
  expect(tokenCreated.status()).toBe(201);
  expect((await tokenCreated.json()).incident.title).toBe(viaToken);
});

test('a cookie session follows a role change and a disabled account on its next request (the staff row is re-read every time)', async ({
  browser,
}) => {
  const email = `reread-${Date.now()}@example.com`;
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    expect(
      (
        await admin.request.post('/api/v1/staff', {
          data: { email, name: 'Re Read', role: 'SECURITY', password: E2E_PASSWORD },
        })
      ).status(),
    ).toBe(201);
  });
  // An ADMIN changes the account through the API (lib/staff: changeStaffRole, disableStaff).
  const asAdmin = (path: string, data: object) =>
    signedInAs(browser, demoEmail('ADMIN'), async (admin) =>
      expect((await admin.request.post(path, { data })).status()).toBe(200),
    );

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInAs(page, email);
    await expect(page.getByTestId('signed-in-user')).toContainText('SECURITY');
    expect(await (await page.request.get('/api/v1/me')).json()).toMatchObject({
      email,
      role: 'SECURITY',
      via: 'session',
    });
    expect(
      (
        await page.request.post('/api/v1/incidents', { data: incident(`Declared while SECURITY ${Date.now()}`) })
      ).status(),
    ).toBe(201);

    // Demoted to COMMS: the same cookie, unchanged, now acts as COMMS.
    await asAdmin('/api/v1/staff/role', { email, role: 'COMMS', reason: 'moved to comms' });
    const refusedTitle = `Declared after the demotion ${Date.now()}`;
    await expectJsonError(
      await page.request.post('/api/v1/incidents', { data: incident(refusedTitle) }),
      403,
      'forbidden',
    );
    expect(await (await page.request.get('/api/v1/me')).json()).toMatchObject({ email, role: 'COMMS', via: 'session' });
    const titles = ((await (await page.request.get('/api/v1/incidents')).json()).incidents as { title: string }[]).map(
      (i) => i.title,
    );
    expect(titles).not.toContain(refusedTitle);
    await page.goto('/overview');
    await expect(page.getByTestId('signed-in-user')).toContainText('COMMS');

    // Disabled: the same cookie no longer authenticates, on the API or in the console.
    await asAdmin('/api/v1/staff/disable', { email, reason: 'laptop stolen' });
    await expectJsonError(await page.request.get('/api/v1/me'), 401, 'unauthenticated');
    await expectJsonError(
      await page.request.post('/api/v1/incidents', { data: incident(`Declared after disabling ${Date.now()}`) }),
      401,
      'unauthenticated',
    );
    await page.goto('/overview');
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
