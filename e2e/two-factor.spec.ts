import { Secret, TOTP } from 'otpauth';
import { demoEmail, E2E_PASSWORD } from './config';
import { signIn, signInAs } from './helpers';
import { expect, test } from './test';

// The code an authenticator app shows `steps` periods from now. The code used to enrol cannot be
// used again, so signing in uses the next period's (accepted: one step of clock drift either way).
const appCode = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });

test('a staff member turns on two-factor sign-in; sign-in then asks for a code, and an ADMIN can reset it', async ({
  browser,
}) => {
  const email = `twofactor-${Date.now()}@firebreak.local`;
  const admin = await browser.newPage();
  await signInAs(admin, demoEmail('ADMIN'));
  expect(
    (
      await admin.request.post('/api/v1/staff', {
        data: { email, name: 'Two Factor', role: 'COMMS', password: E2E_PASSWORD },
      })
    ).status(),
  ).toBe(201);

  const page = await browser.newPage();
  await signInAs(page, email);
  await page.getByTestId('signed-in-user').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code of the two-factor secret' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();

  const confirm = page.getByRole('form', { name: 'Confirm two-factor sign-in' });
  await confirm.getByLabel('Code from your app').fill('000000' === appCode(secret) ? '111111' : '000000');
  await confirm.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByRole('alert', { name: 'Two-factor error' })).toContainText('does not match');
  await confirm.getByLabel('Code from your app').fill(appCode(secret));
  await confirm.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByText('Two-factor sign-in is on.')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, email);
  await expect(page.getByRole('alert', { name: 'Sign-in error' })).toHaveText(
    'Enter the 6-digit code from your authenticator app.',
  );
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel('Authentication code').fill(appCode(secret, 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toContainText('COMMS');

  // The ADMIN sees it on the Staff page and resets it (a lost phone); the password alone works again.
  await admin.goto('/staff');
  await admin.getByRole('button', { name: `Reset two-factor of ${email}` }).click();
  await admin.getByRole('button', { name: `Yes, reset: Reset two-factor of ${email}` }).click();
  await expect(
    admin
      .getByRole('table', { name: 'Staff accounts' })
      .getByRole('row', { name: new RegExp(email) })
      .getByRole('cell')
      .nth(4),
  ).toHaveText('off');
  const again = await browser.newPage();
  await signInAs(again, email);
});
