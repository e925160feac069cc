// A stolen credential can be cut off: a token revoked from Your account stops at once; an ADMIN
// disabling an account on the Staff page ends its live session and its tokens at once.

import { demoEmail, E2E_PASSWORD } from './config';
import { signedInAs, signInAs } from './helpers';
import { expect, test } from './test';

test('a token created on Your account works, is listed without its secret, and stops when revoked', async ({
  page,
  request,
}) => {
  await signInAs(page, demoEmail('COMMS'));
  await page.goto('/profile');
  const form = page.getByRole('form', { name: 'Create an API token' });
  const name = `status bot ${Date.now()}`;
  await form.getByLabel('What will use it').fill(name);
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^fbk_/);
  expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);

  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row).not.toContainText(token.slice(10));
  await row.getByRole('button', { name: `Revoke token ${name}` }).click();
  await row.getByRole('button', { name: `Yes, revoke: Revoke token ${name}` }).click();
  await expect(row).toContainText('revoked');
  expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
});

test("a token for the exchange's login service reads credential status and nothing else", async ({ page, request }) => {
  await signInAs(page, demoEmail('ADMIN'));
  await page.goto('/profile');
  const form = page.getByRole('form', { name: 'Create an API token' });
  const name = `auth service ${Date.now()}`;
  await form.getByLabel('What will use it').fill(name);
  await form.getByLabel('It may').selectOption('credential-status:read');
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  const headers = { authorization: `Bearer ${token}` };
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('only credential-status:read');

  const customer = await request.get('/api/v1/customers/cust-7/credential-status', { headers });
  expect(customer.status(), await customer.text()).toBe(200);
  expect(await customer.json()).toMatchObject({
    externalId: 'cust-7',
    status: expect.stringMatching(/^(valid|reset_required)$/),
  });
  const me = await request.get('/api/v1/me', { headers });
  expect(me.status()).toBe(403); // an ADMIN's token, but not for this
  expect(await me.json()).toMatchObject({
    error: 'forbidden',
    message: expect.stringContaining('credential-status:read'),
  });
});

test('the credential-status routes answer a token directly (web/main.ts), exactly as through Next', async ({
  page,
  request,
}) => {
  await signInAs(page, demoEmail('ADMIN'));
  const created = await page.request.post('/api/v1/tokens', { data: { name: `direct ${Date.now()}` } });
  const { token } = await created.json();
  const headers = { authorization: `Bearer ${token}` };
  // The same question through Next (a cookie session) and directly (a token): the same answer.
  for (const id of ['cust-3', 'cust-1999', 'no-such-customer', 'cust%2F7']) {
    const viaNext = await page.request.get(`/api/v1/customers/${id}/credential-status`);
    const direct = await request.get(`/api/v1/customers/${id}/credential-status`, { headers });
    expect(direct.status(), id).toBe(viaNext.status());
    expect(await direct.json(), id).toEqual(await viaNext.json());
    expect(direct.headers()['x-content-type-options']).toBe('nosniff');
    expect(direct.headers()['x-request-id']).toBeTruthy();
  }
  const body = { externalIds: ['cust-1', 'cust-2', 'nobody'] };
  const batchNext = await page.request.post('/api/v1/customers/credential-status', { data: body });
  const batchDirect = await request.post('/api/v1/customers/credential-status', { data: body, headers });
  expect(batchDirect.status()).toBe(200);
  expect(await batchDirect.json()).toEqual(await batchNext.json());
  // Refusals are the API's own: a bad token, a token of another scope, bad input.
  const bad = await request.get('/api/v1/customers/cust-1/credential-status', {
    headers: { authorization: 'Bearer fbk_not-a-token' },
  });
  expect(bad.status()).toBe(401);
  expect(await bad.json()).toMatchObject({ error: 'unauthenticated' });
  const scoped = await page.request.post('/api/v1/tokens', {
    data: { name: `metrics ${Date.now()}`, scope: 'metrics:read' },
  });
  const wrongScope = await request.get('/api/v1/customers/cust-1/credential-status', {
    headers: { authorization: `Bearer ${(await scoped.json()).token}` },
  });
  expect(wrongScope.status()).toBe(403);
  for (const data of [
    { externalIds: [] },
    { externalIds: Array.from({ length: 1001 }, (_, i) => `c${i}`) },
    'not json',
  ]) {
    const refused = await request.post('/api/v1/customers/credential-status', { data, headers });
    expect(refused.status(), JSON.stringify(data).slice(0, 40)).toBe(400);
    expect(await refused.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  }
});

test('an ADMIN disables an account on the Staff page: its live session and its token stop at once', async ({
  browser,
}) => {
  const email = `leaver-${Date.now()}@example.com`;
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    expect(
      (
        await admin.request.post('/api/v1/staff', {
          data: { email, name: 'Leaver', role: 'SECURITY', password: E2E_PASSWORD },
        })
      ).status(),
    ).toBe(201);
  });
  const context = await browser.newContext();
  const victim = await context.newPage();
  await signInAs(victim, email);
  const token = (await (await victim.request.post('/api/v1/tokens', { data: { name: 'laptop' } })).json())
    .token as string;
  expect((await victim.request.get('/api/v1/me')).status()).toBe(200);

  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    await admin.goto('/staff');
    const accounts = admin.getByRole('table', { name: 'Staff accounts' });
    const manage = accounts.getByRole('row').filter({ hasText: email });
    await manage.getByText('Manage…').click();
    const form = admin.getByRole('form', { name: `Manage ${email}` });
    await form.getByLabel('Reason (audited)').fill('laptop stolen at the airport');
    await form.getByRole('button', { name: 'Disable (ends sessions and tokens)' }).click();
    await expect(accounts.getByRole('row').filter({ hasText: email })).toContainText('disabled');
  });

  expect((await victim.request.get('/api/v1/me')).status()).toBe(401);
  expect((await victim.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(
    401,
  );

  // Enabled again (new laptop): the old cookie — a thief's copy — stays dead; a new sign-in works.
  const stolenCookies = await context.cookies();
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    expect((await admin.request.post('/api/v1/staff/enable', { data: { email, reason: 'new laptop' } })).status()).toBe(
      200,
    );
  });
  expect((await victim.request.get('/api/v1/me')).status()).toBe(401);
  await victim.goto('/overview');
  await expect(victim).toHaveURL(/\/signin/);
  await context.close();
  const fresh = await browser.newContext();
  const again = await fresh.newPage();
  await signInAs(again, email);
  expect((await again.request.get('/api/v1/me')).status()).toBe(200);
  await fresh.close();
  const thief = await browser.newContext();
  await thief.addCookies(stolenCookies);
  expect((await thief.request.get('/api/v1/me')).status()).toBe(401);
  await thief.close();
});

test('a staff member changes their own password: every session ends (a copied cookie too), the new password works', async ({
  browser,
}) => {
  const email = `changer-${Date.now()}@example.com`;
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    expect(
      (
        await admin.request.post('/api/v1/staff', {
          data: { email, name: 'Changer', role: 'EXECUTIVE', password: E2E_PASSWORD },
        })
      ).status(),
    ).toBe(201);
  });
  const other = await browser.newContext(); // the same person's other browser, or a thief's copy
  await signInAs(await other.newPage(), email);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  await page.goto('/profile');
  const form = page.getByRole('form', { name: 'Change your password' });
  await form.getByLabel('Current password').fill('not my password at all');
  await form.getByLabel(/New password/).fill('my new password for 2027');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('That is not your current password.').first()).toBeVisible();

  await form.getByLabel('Current password').fill(E2E_PASSWORD);
  await form.getByLabel(/New password/).fill('my new password for 2027');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status', { name: 'Password changed' })).toBeVisible();
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  expect((await other.request.get('/api/v1/me')).status()).toBe(401);
  await signInAs(page, email, 'my new password for 2027');
  expect((await page.request.get('/api/v1/me')).status()).toBe(200);
  await context.close();
  await other.close();
});
