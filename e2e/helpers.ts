import { expect, type Page } from '@playwright/test';
import { E2E_PASSWORD } from './config';

export async function signIn(page: Page, email: string, password = E2E_PASSWORD) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInAs(page: Page, email: string, password = E2E_PASSWORD) {
  await signIn(page, email, password);
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
}
