import { demoEmail, E2E_PASSWORD, ROLES } from './config';
import { signedInAs, signIn, signInAs } from './helpers';
import { expect, test } from './test';

const ALL_ROLES_SEE = ['Overview', 'Incidents', 'Mail', 'Disclosures', 'Channels', 'Customers', 'Audit'];

test.describe('signing in', () => {
  for (const role of ROLES) {
    test(`${role} signs in and sees the navigation of their role`, async ({ page }) => {
      await signInAs(page, demoEmail(role));
      await expect(page).toHaveURL(/\/overview$/);
      await expect(page.getByTestId('signed-in-user')).toContainText(role);
      const nav = page.getByRole('navigation', { name: 'Console' });
      const expected = role === 'ADMIN' ? [...ALL_ROLES_SEE, 'Staff', 'Integrations'] : ALL_ROLES_SEE;
      await expect(nav.getByRole('link')).toHaveText(expected);
    });
  }

  test('a callbackUrl to another site is not followed after signing in (no open redirect)', async ({
    page,
    baseURL,
  }) => {
    const signInFrom = async (callbackUrl: string) => {
      await page.context().clearCookies();
      await page.goto(`/signin?callbackUrl=${callbackUrl}`);
      await page.getByLabel('Email').fill(demoEmail('EXECUTIVE'));
      await page.getByLabel('Password').fill(E2E_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByTestId('signed-in-user')).toBeVisible();
    };
    for (const callbackUrl of [
      '/%5Cevil.example/',
      '/%09/evil.example/',
      '//evil.example/',
      'https://evil.example/',
      '/.//evil.example/',
      '/a/..//evil.example',
    ]) {
      await signInFrom(callbackUrl);
      expect(new URL(page.url()).origin, callbackUrl).toBe(new URL(baseURL!).origin);
    }
    // A path of our own is followed.
    await signInFrom('/audit');
    await expect(page).toHaveURL(/\/audit$/);
  });

  test('a wrong password is refused with a message', async ({ page }) => {
    await signIn(page, demoEmail('SECURITY'), 'not the password');
    await expect(page.getByRole('alert', { name: 'Sign-in error' })).toContainText('Wrong email or password.');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('an unauthenticated visit to a console page goes to sign-in', async ({ page }) => {
    for (const path of ['/audit', '/incidents', '/staff', '/']) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/signin/);
    }
  });

  test('signing out ends the session', async ({ page }) => {
    await signInAs(page, demoEmail('COMMS'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a non-admin who opens the staff page directly sees no staff data', async ({ page }) => {
    await signInAs(page, demoEmail('SECURITY'));
    await page.goto('/staff');
    await expect(page.getByText('Only an ADMIN can manage staff accounts.')).toBeVisible();
    await expect(page.getByRole('table')).toHaveCount(0);
  });
});

test('repeated wrong passwords pause the account, saying no more than a wrong password does; an ADMIN unlocks it', async ({
  browser,
  page,
}) => {
  // A fresh account, so that the demo accounts stay usable.
  const email = `lockme-${Date.now()}@example.com`;
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    const created = await admin.request.post('/api/v1/staff', {
      data: { email, name: 'Lock Me', role: 'COMMS', password: 'a-long-enough-password' },
    });
    expect(created.status()).toBe(201);
  });
  const error = page.getByRole('alert', { name: 'Sign-in error' });
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong ${i}`);
    await expect(error).toContainText('Wrong email or password.');
  }
  // Locked: the right password gets the very answer a wrong one (or an unknown email) gets.
  await signIn(page, email, 'a-long-enough-password');
  await expect(error).toContainText('Wrong email or password.');
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, `nobody-${Date.now()}@example.com`, 'a-long-enough-password');
  await expect(error).toContainText('Wrong email or password.');

  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    await admin.goto('/staff');
    await admin.getByRole('button', { name: `Unlock ${email}` }).click();
    await expect(admin.getByRole('button', { name: `Unlock ${email}` })).toHaveCount(0);
  });
  await signInAs(page, email, 'a-long-enough-password');
});
