import { demoEmail, E2E_PASSWORD } from './config';
import { signedInAs, signInAs } from './helpers';
import { expect, test } from './test';

test('one SECURITY user requests a reset, another approves it, and progress reaches 100%', async ({ browser }) => {
  // Setup through the API: a second SECURITY user, and an incident.
  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, demoEmail('ADMIN'));
  const second = `second-security-${Date.now()}@example.com`;
  expect(
    (
      await admin.request.post('/api/v1/staff', {
        data: { email: second, name: 'Second Security', role: 'SECURITY', password: E2E_PASSWORD },
      })
    ).status(),
  ).toBe(201);
  const { incident } = await (
    await admin.request.post('/api/v1/incidents', {
      data: { title: `Reset drill ${Date.now()}`, kind: 'DATA_BREACH', severity: 'SEV1', summary: 'Addresses leaked.' },
    })
  ).json();

  const requester = await (await browser.newContext()).newPage();
  await signInAs(requester, demoEmail('SECURITY'));
  await requester.goto(`/incidents/${incident.reference}`);
  const form = requester.getByRole('form', { name: 'Request a password reset' });
  await form.getByRole('button', { name: /Request reset/ }).click();
  // The dry run counts the whole directory (2,000 demo customers, plus any an earlier test imported).
  const dryRun = requester.getByText(/^Dry run: [\d,]+ customers would be reset\.$/);
  await expect(dryRun).toBeVisible();
  const count = (await dryRun.textContent())!.match(/[\d,]+/)![0];
  expect(Number(count.replace(/,/g, ''))).toBeGreaterThanOrEqual(2000);
  await expect(requester.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await expect(requester.getByText('a second SECURITY or ADMIN user must approve')).toBeVisible();

  const approver = await (await browser.newContext()).newPage();
  await signInAs(approver, second);
  await approver.goto(`/incidents/${incident.reference}`);
  await approver.getByRole('button', { name: 'Approve…' }).click();
  await approver.getByRole('button', { name: `Reset passwords of ${count} customers now?` }).click();
  await expect(approver.getByTestId('reset-campaign')).toContainText('approved by Second Security');
  await expect(approver.getByTestId('reset-campaign')).toContainText('in effect since');

  // The requester's page refreshes itself: progress reaches 100%.
  await expect(requester.getByTestId('reset-percent')).toHaveText('100%', { timeout: 60_000 });
  await expect(requester.getByTestId('reset-campaign')).toContainText('completed', { timeout: 30_000 });
  await expect(requester.getByRole('list', { name: 'Timeline' })).toContainText('Password reset approved by');

  // The executive view shows it too.
  const exec = await (await browser.newContext()).newPage();
  await signInAs(exec, demoEmail('EXECUTIVE'));
  await exec.goto('/overview');
  await expect(exec.getByRole('listitem').filter({ hasText: incident.reference })).toContainText(
    'Password reset · completed',
  );
});

test('the customer reset page says an unknown link is not valid at once, before any password is typed', async ({
  page,
}) => {
  await page.goto('/account/reset/this-token-was-never-issued-by-firebreak-0000');
  await expect(page.getByText('This reset link is not valid')).toBeVisible();
  await expect(page.getByLabel('New password (12 characters or more)')).toHaveCount(0);
});

test('old demo customer password: login answers 403 password_reset_required once a reset is in effect', async ({
  browser,
  request,
}) => {
  // Its own reset, of one customer no other test uses (demo customer N has externalId cust-N),
  // set up with cookie sessions: SECURITY declares, marks the customer affected and requests a
  // reset of the AFFECTED cohort; a second SECURITY user approves it.
  const customer = { externalId: 'cust-7', email: 'customer7@demo.firebreak.local' };
  const approverEmail = `approver-${Date.now()}@example.com`;
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    expect(
      (
        await admin.request.post('/api/v1/staff', {
          data: { email: approverEmail, name: 'Approving Security', role: 'SECURITY', password: E2E_PASSWORD },
        })
      ).status(),
    ).toBe(201);
  });
  const campaign = await signedInAs(browser, demoEmail('SECURITY'), async (security) => {
    const declared = await security.request.post('/api/v1/incidents', {
      data: {
        title: `One leaked password ${Date.now()}`,
        kind: 'ACCOUNT_TAKEOVER',
        severity: 'SEV3',
        summary: 'One customer password seen in a paste.',
      },
    });
    expect(declared.status()).toBe(201);
    const { incident } = await declared.json();
    const marked = await security.request.post(`/api/v1/incidents/${incident.id}/affected`, {
      data: { externalIds: [customer.externalId] },
    });
    expect(marked.status()).toBe(201);
    expect(await marked.json()).toEqual({ added: 1, matched: 1, unknown: 0, unknownSample: [] });
    const requested = await security.request.post(`/api/v1/incidents/${incident.id}/resets`, {
      data: { scope: 'AFFECTED', sendMail: false },
    });
    expect(requested.status()).toBe(201);
    const { campaign } = await requested.json();
    expect(campaign).toMatchObject({ status: 'PENDING_APPROVAL', scope: 'AFFECTED', targetCount: 1 });
    return campaign as { id: string };
  });
  await signedInAs(browser, approverEmail, async (approver) => {
    const approved = await approver.request.post(`/api/v1/resets/${campaign.id}/approve`);
    expect(approved.status()).toBe(200);
    expect((await approved.json()).campaign).toMatchObject({
      status: 'RUNNING',
      approvedBy: approverEmail,
      effectiveAt: expect.any(String),
    });
  });

  // In effect from the approval on: the right old password learns that a reset is required…
  const response = await request.post('/api/v1/customer/login', {
    data: { email: customer.email, password: 'demo-customer-password' },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ error: 'password_reset_required' });
  // …and a wrong one learns nothing about it.
  const wrong = await request.post('/api/v1/customer/login', {
    data: { email: customer.email, password: 'nope nope nope' },
  });
  expect(wrong.status()).toBe(401);
  expect(await wrong.json()).toMatchObject({ error: 'unauthenticated' });
});

test('guessing a customer password: the 10th failure pauses that login with 429 and Retry-After', async ({
  request,
}) => {
  // No other test uses customer3, so its failure count starts at 0. A reset in effect (the scope-ALL
  // test above) changes nothing here: the pause is checked before the password and the reset.
  const email = 'customer3@demo.firebreak.local';
  for (let i = 0; i < 9; i++)
    expect(
      (await request.post('/api/v1/customer/login', { data: { email, password: `guess number ${i}` } })).status(),
    ).toBe(401);
  const paused = await request.post('/api/v1/customer/login', { data: { email, password: 'guess number 10' } });
  expect(paused.status()).toBe(429);
  expect(await paused.json()).toMatchObject({
    error: 'too_many_attempts',
    message: expect.stringContaining('reset link'),
  });
  expect(Number(paused.headers()['retry-after'])).toBeGreaterThan(60);
  // Even the right password waits.
  expect(
    (await request.post('/api/v1/customer/login', { data: { email, password: 'demo-customer-password' } })).status(),
  ).toBe(429);
});
