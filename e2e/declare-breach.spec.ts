import { demoEmail } from './config';
import { signInAs } from './helpers';
import { expect, test } from './test';

test('SECURITY declares a breach, it shows on the live executive view, a note and a status change land on the timeline', async ({
  browser,
}) => {
  // The executive watches the status view in their own browser, never reloading it.
  const execPage = await (await browser.newContext()).newPage();
  await signInAs(execPage, demoEmail('EXECUTIVE'));
  await execPage.goto('/overview');
  const title = `Bulk mail exposed addresses ${Date.now()}`;
  await expect(execPage.getByText(title)).toHaveCount(0);

  const page = await (await browser.newContext()).newPage();
  await signInAs(page, demoEmail('SECURITY'));
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Incidents' }).click();
  await page.getByRole('link', { name: 'Declare a breach' }).click();

  // The server's validation message, not only the browser's.
  await page.getByRole('button', { name: 'Declare breach' }).click();
  await expect(page.getByRole('alert', { name: 'Declare error' })).toContainText('title');

  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Severity').selectOption('SEV1');
  await page.getByLabel('Summary').fill('The bulk-mail tool put addresses in To: instead of Bcc.');
  await page.getByRole('button', { name: 'Declare breach' }).click();

  await expect(page).toHaveURL(/\/incidents\/INC-\d{4}-\d{4}$/);
  const reference = page.url().split('/').pop()!;
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('incident-status')).toHaveText('DECLARED');
  const clocks = page.getByRole('list', { name: 'Regulatory clocks' });
  await expect(clocks.locator('[data-clock="GDPR_33"]')).toContainText('running');
  await expect(clocks.locator('[data-clock="MAS_1H"]')).toContainText('left');

  await expect(execPage.getByRole('heading', { name: title })).toBeVisible({ timeout: 15_000 });
  await expect(execPage.getByRole('listitem').filter({ hasText: title })).toContainText('Next deadline');
  await expect(execPage.getByRole('listitem').filter({ hasText: title })).toContainText(reference);

  await page
    .getByRole('form', { name: 'Add a note' })
    .getByLabel('Note')
    .fill('Mail tool stopped; batches 1–14 went out.');
  await page.getByRole('button', { name: 'Add note' }).click();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByText('Mail tool stopped; batches 1–14 went out.')).toBeVisible();

  const update = page.getByRole('form', { name: 'Update incident' });
  await update.getByLabel('Status', { exact: true }).selectOption('CONTAINED');
  await update.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('incident-status')).toHaveText('CONTAINED');
  await expect(timeline.getByText('Status DECLARED → CONTAINED')).toBeVisible();
  await expect(timeline.getByText(/declared INC-/)).toBeVisible();

  // Moving back needs a reason: the form says so.
  await update.getByLabel('Status', { exact: true }).selectOption('DECLARED');
  await update.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByRole('alert', { name: 'Update error' })).toContainText('needs a reason');
  await expect(page.getByTestId('incident-status')).toHaveText('CONTAINED');
});

test('COMMS sees no declare button, and a declare form submitted with a COMMS session is refused', async ({
  browser,
}) => {
  const context = await browser.newContext();
  // Tab A: a SECURITY user opens the declare form.
  const formTab = await context.newPage();
  await signInAs(formTab, demoEmail('SECURITY'));
  await formTab.goto('/incidents/new');
  await expect(formTab.getByRole('button', { name: 'Declare breach' })).toBeVisible();

  // Tab B, same browser: the session is replaced by a COMMS one.
  const other = await context.newPage();
  await other.goto('/incidents');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await expect(other).toHaveURL(/\/signin/);
  await signInAs(other, demoEmail('COMMS'));
  await other.goto('/incidents');
  await expect(other.getByRole('heading', { name: 'Incidents' })).toBeVisible();
  await expect(other.getByRole('link', { name: 'Declare a breach' })).toHaveCount(0);
  await other.goto('/incidents/new');
  await expect(other.getByText('Only SECURITY and ADMIN can declare incidents.')).toBeVisible();

  // Tab A submits its stale form: the server action runs as COMMS and refuses.
  await formTab.getByLabel('Title').fill('Should never exist');
  await formTab.getByLabel('Summary').fill('Submitted after the session changed to COMMS.');
  await formTab.getByRole('button', { name: 'Declare breach' }).click();
  await expect(formTab.getByRole('alert', { name: 'Declare error' })).toContainText('COMMS');
  await other.goto('/incidents');
  await expect(other.getByText('Should never exist')).toHaveCount(0);
});
