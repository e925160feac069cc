import { expect, test } from '@playwright/test';
import { demoEmail } from './config';
import { signInAs } from './helpers';

test('the audit page lists events, filters them, and shows that the chain verifies', async ({ page }) => {
  await signInAs(page, demoEmail('EXECUTIVE'));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByTestId('audit-chain-status')).toContainText('Chain verifies');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: 'staff.created' }).first()).toBeVisible();

  await page.getByLabel('Action').selectOption('staff.signed_in');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=staff.signed_in/);
  const body = page.getByRole('table').locator('tbody tr');
  await expect(body.first()).toContainText('staff.signed_in');
  await expect(body.filter({ hasText: 'staff.created' })).toHaveCount(0);
  await expect(body.filter({ hasText: demoEmail('EXECUTIVE') }).first()).toBeVisible();
});
