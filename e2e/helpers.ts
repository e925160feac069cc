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

/**
 * Drafts a notice from the facts as COMMS, fills its prompts (after `prefix`, when given), gives it
 * `title`, and publishes it, approved by SECURITY: through the API, as the people would.
 */
export async function publishedNotice(browser: Browser, content: { title: string; prefix?: string }) {
  const comms = await ownToken(browser, 'COMMS', `status page ${Date.now()}`);
  const auth = { authorization: `Bearer ${comms}` };
  return signedInAs(browser, demoEmail('SECURITY'), async (security) => {
    const request = security.request;
    const declared = await request.post('/api/v1/incidents', {
      data: { title: 'Internal: SendGrid template bug', kind: 'DATA_BREACH', severity: 'SEV1', summary: 'internal' },
    });
    expect(declared.status()).toBe(201);
    const { incident } = await declared.json();
    const drafted = await request.post(`/api/v1/incidents/${incident.reference}/disclosures`, {
      headers: auth,
      data: {},
    });
    expect(drafted.status()).toBe(201);
    const { disclosure } = await drafted.json();
    const template: string = disclosure.revisions[0].body;
    const body = `${content.prefix ? `${content.prefix}\n\n` : ''}${template.replace(/\{\{[^{}]*\}\}/g, 'as the team confirmed')}`;
    const revised = await request.post(`/api/v1/disclosures/${disclosure.id}/revisions`, {
      headers: auth,
      data: { title: content.title, body },
    });
    expect(revised.status(), await revised.text()).toBe(201);
    const revision = (await revised.json()).disclosure.revisions[0];
    expect((await request.post(`/api/v1/disclosures/${disclosure.id}/submit`, { headers: auth })).status()).toBe(200);
    const approved = await request.post(`/api/v1/disclosures/${disclosure.id}/approve`, {
      data: { revision: revision.number, contentHash: revision.contentHash },
    });
    expect(approved.status(), await approved.text()).toBe(200);
    const published = await request.post(`/api/v1/disclosures/${disclosure.id}/publish`, {
      headers: auth,
      data: { revision: revision.number, notify: 'NONE' },
    });
    expect(published.status(), await published.text()).toBe(200);
    return { id: disclosure.id as string, incident: incident.reference as string };
  });
}
