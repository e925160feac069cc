// An ADMIN connects the exchange's systems on the Integrations page: the SSRF guard refuses an
// internal address with a readable message, a public endpoint gets its secret once, its delivery
// log shows what Firebreak tried to send, and it can be disabled. Other roles see none of it.

import { demoEmail } from './config';
import { signInAs } from './helpers';
import { expect, test } from './test';

test('an ADMIN adds a webhook endpoint, sees its secret once and its delivery log, and disables it', async ({
  page,
}) => {
  await signInAs(page, demoEmail('ADMIN'));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Integrations' }).click();
  const form = page.getByRole('form', { name: 'Add a webhook endpoint' });

  // The cloud's metadata service: refused, and what was typed and ticked stays.
  await form.getByRole('textbox', { name: 'URL' }).fill('http://169.254.169.254/latest/meta-data/');
  await form.getByLabel(/^incident\.declared/).check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('alert', { name: 'Webhook error' })).toContainText('link-local');
  await expect(form.getByRole('textbox', { name: 'URL' })).toHaveValue('http://169.254.169.254/latest/meta-data/');
  await expect(form.getByLabel(/^incident\.declared/)).toBeChecked();

  const url = `https://93.184.216.34/firebreak/${Date.now()}`; // a public address (nothing answers here)
  await form.getByRole('textbox', { name: 'URL' }).fill(url);
  await form.getByLabel('What receives it').fill('the auth service');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = page.getByTestId('new-webhook-secret');
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const shown = (await secret.textContent())!;
  const row = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: url });
  await expect(row).toContainText('incident.declared');

  // A declared incident is an event for it: the log shows the delivery.
  const declared = await page.request.post('/api/v1/incidents', {
    data: { title: 'Webhook e2e', kind: 'OTHER', severity: 'SEV3', summary: 'an event for the endpoint' },
  });
  expect(declared.status()).toBe(201);
  await row.getByRole('link', { name: 'Delivery log' }).click();
  const log = page.getByRole('table', { name: `Deliveries to ${url}` });
  await expect(log.getByRole('row').filter({ hasText: 'incident.declared' })).toBeVisible();

  await page.goto('/integrations');
  expect(await page.content()).not.toContain(shown); // shown once: a new visit never has it
  const again = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: url });
  await again.getByRole('button', { name: `Disable ${url}` }).click();
  await again.getByRole('button', { name: `Yes, disable: Disable ${url}` }).click();
  await expect(again).toContainText('disabled');
});

test('SECURITY has no Integrations page and the API answers 403', async ({ page }) => {
  await signInAs(page, demoEmail('SECURITY'));
  await expect(
    page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Integrations' }),
  ).toHaveCount(0);
  await page.goto('/integrations');
  await expect(page.getByText('Only an ADMIN can manage webhook endpoints.')).toBeVisible();
  expect((await page.request.get('/api/v1/webhooks')).status()).toBe(403);
});
