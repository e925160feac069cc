import { demoEmail } from './config';
import { signedInAs, signInAs } from './helpers';
import { expect, test } from './test';

test('the audit page lists events, filters them, and shows that the chain verifies', async ({ browser, page }) => {
  // Its own staff.created event, so that one is among the newest 100 the page shows, whatever ran before.
  const email = `audited-${Date.now()}@example.com`;
  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    expect(
      (await admin.request.post('/api/v1/staff', { data: { email, name: 'Audited', role: 'COMMS' } })).status(),
    ).toBe(201);
  });

  await signInAs(page, demoEmail('EXECUTIVE'));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  // The worker's check (at its start, then every 5 minutes), not a walk per page view.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('audit-chain-status')).toContainText('Chain verifies', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: 'staff.created' }).filter({ hasText: email })).toBeVisible();

  await page.getByLabel('Action').selectOption('staff.signed_in');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=staff.signed_in/);
  const body = page.getByRole('table').locator('tbody tr');
  await expect(body.first()).toContainText('staff.signed_in');
  await expect(body.filter({ hasText: 'staff.created' })).toHaveCount(0);
  await expect(body.filter({ hasText: demoEmail('EXECUTIVE') }).first()).toBeVisible();
});
