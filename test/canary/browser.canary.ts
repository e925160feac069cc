// Canary for the browser runner (run only by scripts/test-canary.ts, with FIREBREAK_CANARY=browser):
// against the real launcher, one test passes and one must fail. A run that exits 0 hides failures.
import { expect, test } from '@playwright/test';

test('canary: the console answers through the real launcher (passes)', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByLabel('Email')).toBeVisible();
});

test('canary: this test fails on purpose', async () => {
  expect(1).toBe(2);
});
