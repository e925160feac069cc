import { expect, test } from '@playwright/test';
import { demoEmail } from './config';
import { signInAs } from './helpers';

test('SECURITY uploads a customer file; a bad row is reported by line and nothing is applied', async ({ page }) => {
  await signInAs(page, demoEmail('SECURITY'));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Customers' }).click();
  const form = page.getByRole('form', { name: 'Import customers' });
  const stamp = Date.now();

  await form.getByLabel('CSV (header row) or JSON Lines file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`externalId,email\nx${stamp}a,a${stamp}@example.com\nx${stamp}b,not-an-email\n`),
  });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert', { name: 'Import error' })).toContainText('Line 3');

  await form.getByLabel('CSV (header row) or JSON Lines file').setInputFiles({
    name: 'good.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(`{"externalId":"x${stamp}a","email":"a${stamp}@example.com"}\n{"externalId":"x${stamp}b","email":"b${stamp}@example.com","hasBalance":true}\n`),
  });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status', { name: 'Import done' })).toContainText('Imported 2 rows: 2 new, 0 updated');
});

test('COMMS sees the directory but cannot import (no form, and the API answers 403)', async ({ page }) => {
  await signInAs(page, demoEmail('COMMS'));
  await page.goto('/customers');
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Import customers' })).toHaveCount(0);
  const response = await page.request.post('/api/v1/customers/import', { headers: { 'content-type': 'text/csv' }, data: Buffer.from('externalId,email\nz,z@example.com\n') });
  expect(response.status()).toBe(403);
});
