import { demoEmail } from './config';
import { signInAs, unfreezeAllMail } from './helpers';
import { expect, test } from './test';

test.describe('freezing', () => {
  // Whatever ran before, this starts with no stream frozen, and leaves none frozen, pass or fail.
  test.beforeEach(async ({ browser }) => unfreezeAllMail(browser));
  test.afterEach(async ({ browser }) => unfreezeAllMail(browser));

  test('SECURITY freezes all outbound mail with the big button; it shows who, when and why; then unfreezes a stream', async ({
    page,
  }) => {
    await signInAs(page, demoEmail('SECURITY'));
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Mail' }).click();
    await expect(page.getByRole('heading', { name: 'Outbound mail' })).toBeVisible();
    await expect(page.getByTestId('state-SECURITY')).toHaveText('sending');

    const panel = page.getByRole('form', { name: 'Freeze outbound mail' });
    // The panel starts with the runbook's choice (everything but SECURITY); this test takes all.
    await expect(panel.getByLabel('SECURITY')).not.toBeChecked();
    await expect(panel.getByLabel('BULK')).toBeChecked();
    await panel.getByLabel('All streams').check();
    await panel.getByRole('button', { name: 'FREEZE OUTBOUND MAIL' }).click();
    await panel.getByRole('button', { name: 'Yes, freeze all streams now' }).click();
    await expect(page.getByRole('alert', { name: 'Freeze error' })).toContainText('reason');

    await panel.getByLabel('Reason (recorded in the audit log)').fill('Addresses visible in To: — stop all mail');
    await panel.getByRole('button', { name: 'FREEZE OUTBOUND MAIL' }).click();
    await panel.getByRole('button', { name: 'Yes, freeze all streams now' }).click();
    await expect(page.getByRole('status', { name: 'Freeze done' })).toBeVisible();
    for (const stream of ['SECURITY', 'TRANSACTIONAL', 'BULK'])
      await expect(page.getByTestId(`state-${stream}`)).toHaveText('FROZEN');
    await expect(page.getByRole('region', { name: 'SECURITY stream' })).toContainText(
      'Frozen by security@firebreak.local',
    );
    await expect(page.getByRole('region', { name: 'SECURITY stream' })).toContainText('Addresses visible in To:');

    const unfreeze = page.getByRole('form', { name: 'Unfreeze SECURITY' });
    await unfreeze.getByLabel('Reason to unfreeze').fill('Reset mail must go out');
    await unfreeze.getByRole('button', { name: 'Unfreeze SECURITY' }).click();
    await expect(page.getByTestId('state-SECURITY')).toHaveText('sending');
    await expect(page.getByTestId('state-BULK')).toHaveText('FROZEN');
  });
});

test('COMMS sees the mail state but no freeze button', async ({ page }) => {
  await signInAs(page, demoEmail('COMMS'));
  await page.goto('/mail');
  await expect(page.getByRole('heading', { name: 'Outbound mail' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Freeze outbound mail' })).toHaveCount(0);
  await expect(page.getByText('Only SECURITY and ADMIN can freeze mail.')).toBeVisible();
  await page.goto('/mail/sink');
  await expect(page.getByRole('heading', { name: 'Delivered mail (local sink)' })).toBeVisible();
});
