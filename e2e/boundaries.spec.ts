// What a person sees at the edges: an incident that does not exist keeps the console around it; an
// address Firebreak does not serve is a plain 404 page.

import { demoEmail } from './config';
import { signInAs } from './helpers';
import { expect, test } from './test';

test('an unknown incident says "Not found" inside the console, with the navigation still there', async ({ page }) => {
  await signInAs(page, demoEmail('EXECUTIVE'));
  // The page streams behind its loading state, so the status line (200) was sent before the
  // incident was looked up; what a person sees is what counts here (Next adds a noindex tag).
  await page.goto('/incidents/INC-2099-9999');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'overview' }).click();
  await expect(page).toHaveURL(/\/overview$/);
});

test('an address Firebreak does not serve is a 404 page that leads back to the console', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to the console' })).toHaveAttribute('href', '/');
});
