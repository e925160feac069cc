import { demoEmail } from './config';
import { signedInAs, signInAs } from './helpers';
import { expect, test } from './test';

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
    buffer: Buffer.from(
      `{"externalId":"x${stamp}a","email":"a${stamp}@example.com"}\n{"externalId":"x${stamp}b","email":"b${stamp}@example.com","hasBalance":true}\n`,
    ),
  });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status', { name: 'Import done' })).toContainText('Imported 2 rows: 2 new, 0 updated');
});

test('COMMS sees the directory but cannot import (no form, and the API answers 403)', async ({ page }) => {
  await signInAs(page, demoEmail('COMMS'));
  await page.goto('/customers');
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Import customers' })).toHaveCount(0);
  const response = await page.request.post('/api/v1/customers/import', {
    headers: { 'content-type': 'text/csv' },
    data: Buffer.from('externalId,email\nz,z@example.com\n'),
  });
  expect(response.status()).toBe(403);
});

test("changing a customer's email and password from an import waits for a second person, then applies", async ({
  browser,
  page,
  request,
}) => {
  // Demo customer N has externalId cust-N; no other test uses this one.
  const customer = { externalId: 'cust-1999', email: 'customer1999@demo.firebreak.local' };
  const moved = `moved-${Date.now()}@example.com`;
  const newPassword = 'a new password the exchange set';
  const { hash } = await import('@node-rs/argon2');
  const row = JSON.stringify({
    externalId: customer.externalId,
    email: moved,
    passwordHash: await hash(newPassword, { algorithm: 2 }),
  });

  await signInAs(page, demoEmail('SECURITY'));
  await page.goto('/customers');
  const form = page.getByRole('form', { name: 'Import customers' });
  const file = { name: 'migration.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${row}\n`) };
  // Without asking, the file is refused and names the line.
  await form.getByLabel('CSV (header row) or JSON Lines file').setInputFiles(file);
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert', { name: 'Import error' })).toContainText(
    'Line 1: would change the email of existing customer cust-1999',
  );
  // Asked for with a reason, it waits; the requester cannot approve it.
  await form.getByLabel(/This file changes existing customers/).check();
  await form.getByLabel('Why (the approver reads it; audited)').fill('moved to the new auth service');
  await form.getByLabel('CSV (header row) or JSON Lines file').setInputFiles(file);
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status', { name: 'Import done' })).toContainText(
    'Credential changes for 1 customers wait',
  );
  const pending = page.getByRole('listitem').filter({ hasText: 'moved to the new auth service' });
  await expect(pending).toContainText('PENDING APPROVAL');
  await expect(pending.getByRole('table', { name: 'Requested changes' })).toContainText(`${customer.email} → ${moved}`);
  await expect(pending).toContainText('a second person must approve');
  await expect(pending.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  expect(
    (await request.post('/api/v1/customer/login', { data: { email: moved, password: newPassword } })).status(),
  ).toBe(401);

  await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    await admin.goto('/customers');
    const item = admin.getByRole('listitem').filter({ hasText: 'moved to the new auth service' });
    await item.getByRole('button', { name: 'Approve…' }).click();
    await item.getByRole('button', { name: /Change the credentials of 1 customers/ }).click();
    // The request leaves the pending state: its line now says what happened.
    await expect(item).toContainText('APPLIED');
    await expect(item).toContainText('approved by admin@firebreak.local · applied to 1, 0 left alone');
  });
  expect(
    (
      await request.post('/api/v1/customer/login', {
        data: { email: customer.email, password: 'demo-customer-password' },
      })
    ).status(),
  ).toBe(401);
  expect(
    (await request.post('/api/v1/customer/login', { data: { email: moved, password: newPassword } })).status(),
  ).toBe(200);
});
