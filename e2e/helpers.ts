import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, expect, type Page } from '@playwright/test';
import { demoEmail, E2E_PASSWORD, type ROLES } from './config';

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

/**
 * Runs `work` with a page signed in as `email` in a browser context of its own (its cookies
 * shared with nobody), then closes the context. `page.request` carries that session's cookie.
 */
export async function signedInAs<T>(
  browser: Browser,
  email: string,
  work: (page: Page) => Promise<T>,
  password = E2E_PASSWORD,
): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInAs(page, email, password);
    return await work(page);
  } finally {
    await context.close();
  }
}

type MailOverview = { streams: { stream: string; frozen: null | { reason: string } }[] };

/**
 * Lifts every active mail freeze, as the demo ADMIN with a cookie session, and checks that no stream
 * is left frozen. Tests that freeze mail call it before (so they start from the unfrozen state
 * whatever ran earlier) and after (so they leave none behind, even when they fail half-way).
 * Held messages stay held: lifting a freeze releases nothing.
 */
export async function unfreezeAllMail(browser: Browser) {
  await signedInAs(browser, demoEmail('ADMIN'), async (page) => {
    const frozenStreams = async () => {
      const response = await page.request.get('/api/v1/mail');
      expect(response.status()).toBe(200);
      return ((await response.json()) as MailOverview).streams.filter((s) => s.frozen).map((s) => s.stream);
    };
    const frozen = await frozenStreams();
    if (frozen.length > 0) {
      const response = await page.request.post('/api/v1/mail/unfreeze', {
        data: { streams: frozen, reason: 'e2e: back to the unfrozen state' },
      });
      // 409 not_frozen: somebody else lifted it in the meantime; the check below is what counts.
      expect([200, 409]).toContain(response.status());
    }
    expect(await frozenStreams()).toEqual([]);
  });
}

/**
 * An API token of a demo account, created as the rule says: by its owner, for themselves, in a
 * signed-in session (nobody can mint a token that acts as someone else).
 */
export async function ownToken(browser: Browser, role: (typeof ROLES)[number], name = `e2e ${role}`): Promise<string> {
  return signedInAs(browser, demoEmail(role), async (page) => {
    const response = await page.request.post('/api/v1/tokens', { data: { name } });
    expect(response.status()).toBe(201);
    return (await response.json()).token as string;
  });
}

/**
 * The e2e launcher's embedded database (e2e/server.ts: .data/e2e), signed in as the app role: for
 * tests that must observe or stage what no page shows (a worker's heartbeat, a lost worker's mail).
 */
export function e2eDatabaseUrl() {
  const dir = join(process.cwd(), '.data/e2e');
  const port = Number(readFileSync(join(dir, 'pg/postmaster.pid'), 'utf8').split('\n')[3]);
  const { firebreak_app: password } = JSON.parse(readFileSync(join(dir, 'db-roles.json'), 'utf8'));
  return `postgresql://firebreak_app:${encodeURIComponent(password)}@127.0.0.1:${port}/firebreak`;
}
