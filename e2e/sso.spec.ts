import { OIDC_ACCOUNTS } from '../test/oidc-provider';
import { demoEmail } from './config';
import { signedInAs } from './helpers';
import { expect, type Page, test } from './test';

// e2e/server.ts starts a real OpenID provider (test/oidc-provider.ts) and points OIDC_ISSUER at it.

/** Through the provider's own login and consent pages, as `login`, back to Firebreak. */
async function signInWithIdp(page: Page, login: string) {
  // The provider's page imports a web font from the internet, which this machine cannot reach.
  await page.route(/fonts\.googleapis\.com/, (route) => route.abort());
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Continue with Test IdP' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password: the test provider takes any');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('staff sign in through the company OpenID provider: the role comes from their groups, the most powerful one wins', async ({
  browser,
}) => {
  for (const [login, role] of [
    ['ada', 'SECURITY'],
    ['grace', 'ADMIN'],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithIdp(page, login);
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(OIDC_ACCOUNTS[login].name);
    await expect(page.getByTestId('signed-in-user')).toContainText(role);
    const me = await (await page.request.get('/api/v1/me')).json();
    expect(me).toMatchObject({ email: OIDC_ACCOUNTS[login].email, role });
    // The session is a staff session like a password one: it works for the API and for writes.
    const declared = await page.request.post('/api/v1/incidents', {
      data: { title: `Declared by ${login} through SSO`, kind: 'DATA_BREACH', severity: 'SEV2', summary: 'SSO drill.' },
    });
    expect(declared.status()).toBe(201);
    if (role === 'ADMIN') {
      // The Staff page marks the accounts that sign in through the provider.
      await page.goto('/staff');
      const accounts = page.getByRole('table', { name: 'Staff accounts' }).getByRole('row');
      const ada = accounts.filter({ hasText: OIDC_ACCOUNTS.ada.email });
      await expect(ada).toContainText('SSO');
      await expect(ada).toContainText('SECURITY');
      await expect(accounts.filter({ hasText: demoEmail('ADMIN') })).not.toContainText('SSO');
    }
    await context.close();
  }
});

test('someone the provider gives no Firebreak group, or who names a local account’s email, is refused with a reason and gets no account', async ({
  page,
  browser,
}) => {
  await signInWithIdp(page, 'mallory');
  await expect(page).toHaveURL(/\/signin\?error=SsoNoRole/);
  await expect(page.getByRole('alert', { name: 'Sign-in error' })).toContainText('no Firebreak role');
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);

  await page.context().clearCookies();
  await signInWithIdp(page, 'squatter');
  await expect(page.getByRole('alert', { name: 'Sign-in error' })).toContainText('already uses your email');
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);

  // The local account the squatter named is untouched, and no account was made for either.
  const staff = await signedInAs(browser, demoEmail('ADMIN'), async (admin) =>
    (await admin.request.get('/api/v1/staff')).json(),
  );
  const emails = (staff.staff as { email: string; name: string }[]).map((s) => s.email);
  expect(emails).not.toContain(OIDC_ACCOUNTS.mallory.email);
  expect(emails.filter((e) => e === demoEmail('ADMIN'))).toHaveLength(1);
  expect((staff.staff as { email: string; name: string }[]).find((s) => s.email === demoEmail('ADMIN'))?.name).not.toBe(
    'Squatter',
  );
});
