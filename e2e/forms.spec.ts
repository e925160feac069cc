// One rule for every console form (components/ui/action-form.tsx): the server checks, and when
// it refuses, everything typed and chosen is still there, the field to blame is marked, focus is
// on it, and the message is in people's words (no API field names). Each form is driven into a
// server-side refusal with its selects and checkboxes moved off their defaults.

import { demoEmail } from './config';
import { signedInAs, unfreezeAllMail } from './helpers';
import { expect, type Page, test } from './test';

/** The focused element's accessible label (its <label>'s text). */
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? el?.tagName ?? null;
  });

test('declare: a future detection time is refused; title, kind, severity and summary stay, focus on the time', async ({
  browser,
}) => {
  await signedInAs(browser, demoEmail('SECURITY'), async (page) => {
    await page.goto('/incidents/new');
    await page.getByLabel('Title').fill('Typed title that must survive');
    await page.getByLabel('Kind').selectOption('ACCOUNT_TAKEOVER');
    await page.getByLabel('Severity').selectOption('SEV2');
    await page.getByLabel(/^Detected at/).fill('2099-01-01T10:00');
    await page.getByLabel('Summary').fill('A summary that took a while to write.');
    await page.getByRole('button', { name: 'Declare breach' }).click();

    const alert = page.getByRole('alert', { name: 'Declare error' });
    await expect(alert).toHaveText('The detection time cannot be in the future.');
    await expect(page.getByLabel(/^Detected at/)).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel(/^Detected at/)).toBeFocused();
    await expect(page.getByLabel('Title')).toHaveValue('Typed title that must survive');
    await expect(page.getByLabel('Kind')).toHaveValue('ACCOUNT_TAKEOVER');
    await expect(page.getByLabel('Severity')).toHaveValue('SEV2');
    await expect(page.getByLabel('Summary')).toHaveValue('A summary that took a while to write.');
    await expect(page.getByLabel(/^Detected at/)).toHaveValue('2099-01-01T10:00');
    // The limits are on the inputs too.
    await expect(page.getByLabel('Title')).toHaveAttribute('maxlength', '200');
  });
});

test('reset request: an out-of-range lock is refused; the chosen cohort and boxes stay, focus on the lock', async ({
  browser,
}) => {
  await signedInAs(browser, demoEmail('SECURITY'), async (page) => {
    const declared = await page.request.post('/api/v1/incidents', {
      data: { title: `Form rule ${Date.now()}`, kind: 'DATA_BREACH', severity: 'SEV2', summary: 'forms' },
    });
    const { incident } = await declared.json();
    await page.goto(`/incidents/${incident.reference}`);
    const form = page.getByRole('form', { name: 'Request a password reset' });
    await form.getByLabel('Cohort').selectOption('AFFECTED');
    await form.getByLabel('with a balance').check();
    await form.getByLabel('Revoke API keys').check();
    await form.getByLabel(/^Lock withdrawals/).fill('9999');
    await form.getByRole('button', { name: /^Request reset/ }).click();

    await expect(form.getByRole('alert', { name: 'Reset request error' })).toHaveText('Use 720 or less.');
    await expect(form.getByLabel(/^Lock withdrawals/)).toBeFocused();
    await expect(form.getByLabel('Cohort')).toHaveValue('AFFECTED');
    await expect(form.getByLabel('with a balance')).toBeChecked();
    await expect(form.getByLabel('Revoke API keys')).toBeChecked();
    await expect(form.getByLabel('Revoke sessions')).toBeChecked();
    await expect(form.getByLabel(/^Lock withdrawals/)).toHaveValue('9999');
  });
});

test('freeze: a too-short reason is refused; the chosen stream stays, focus on the reason, nothing frozen', async ({
  browser,
}) => {
  await unfreezeAllMail(browser);
  await signedInAs(browser, demoEmail('SECURITY'), async (page) => {
    await page.goto('/mail');
    const form = page.getByRole('form', { name: 'Freeze outbound mail' });
    await form.getByLabel('TRANSACTIONAL').uncheck();
    await form.getByLabel('BULK').check();
    await form.getByLabel('For incident (its timeline records the freeze)').selectOption('');
    await form.getByLabel('Reason (recorded in the audit log)').fill('x');
    await form.getByRole('button', { name: 'FREEZE OUTBOUND MAIL' }).click();
    await form.getByRole('button', { name: 'Yes, freeze BULK now' }).click();

    await expect(form.getByRole('alert', { name: 'Freeze error' })).toHaveText('Give a reason (3 characters or more).');
    expect(await focusedLabel(page)).toBe('Reason (recorded in the audit log)');
    await expect(form.getByLabel('BULK')).toBeChecked();
    await expect(form.getByLabel('All streams')).not.toBeChecked();
    await expect(form.getByLabel('TRANSACTIONAL')).not.toBeChecked();
    await expect(form.getByLabel('For incident (its timeline records the freeze)')).toHaveValue('');
    await expect(form.getByLabel('Reason (recorded in the audit log)')).toHaveValue('x');
    // Nothing was frozen: the page as the server now renders it.
    await page.reload();
    await expect(page.getByTestId('state-BULK')).toHaveText('sending');
    expect(
      (await (await page.request.get('/api/v1/mail')).json()).streams.every((s: { frozen: unknown }) => !s.frozen),
    ).toBe(true);
  });
});

test('new staff account: a bad email is refused; name and role stay, focus on the email', async ({ browser }) => {
  await signedInAs(browser, demoEmail('ADMIN'), async (page) => {
    await page.goto('/staff');
    const form = page.getByRole('form', { name: 'New staff account' });
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByLabel('Name').fill('Kept Name');
    await form.getByLabel('Role').selectOption('EXECUTIVE');
    await form.getByRole('button', { name: 'Create staff account' }).click();

    await expect(form.getByRole('alert', { name: 'Create staff error' })).toHaveText('Enter a valid email address.');
    await expect(form.getByLabel('Email')).toBeFocused();
    await expect(form.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Name')).toHaveValue('Kept Name');
    await expect(form.getByLabel('Role')).toHaveValue('EXECUTIVE');
  });
});

test('sign-in: empty fields are named (not "wrong password"), focus on the first', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toBeFocused();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await expect(page.getByText('Wrong email or password')).toHaveCount(0);
  await page.getByLabel('Email').fill(demoEmail('COMMS'));
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert', { name: 'Sign-in error' })).toBeFocused();
  await expect(page.getByLabel('Email')).toHaveValue(demoEmail('COMMS'));
});
