// The CSP is enforced by a real browser: every page works under it (no violation on the way
// through the console), the nonce is fresh per response and on every script Next renders, and a
// script an attacker gets into the HTML does not run.

import { demoEmail } from './config';
import { signInAs } from './helpers';
import { expect, type Page, test } from './test';

function collectViolations(page: Page) {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('each page carries a fresh nonce, on every script Next renders', async ({ request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await request.get('/signin');
    const policy = response.headers()['content-security-policy'];
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(policy).not.toContain('unsafe-inline');
    const nonce = /'nonce-([^']+)'/.exec(policy)![1];
    nonces.push(nonce);
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // Plain HTTP here: no HSTS (it is sent when the public URL is https://).
    expect(response.headers()['strict-transport-security']).toBeUndefined();
  }
  expect(nonces[0]).not.toBe(nonces[1]);
});

test('HTML from outside the pages gets the policy too: an unknown /api path, a prefetch', async ({ request }) => {
  const unknown = await request.get('/api/nope');
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()['content-security-policy']).toContain("'nonce-");
  const prefetch = await request.get('/signin', { headers: { purpose: 'prefetch' } });
  expect(prefetch.headers()['content-security-policy']).toContain("'nonce-");
});

test('the console works under the policy: sign-in and every section without a violation', async ({ page }) => {
  const violations = collectViolations(page);
  await signInAs(page, demoEmail('ADMIN'));
  for (const path of [
    '/incidents',
    '/mail',
    '/customers',
    '/audit',
    '/staff',
    '/integrations',
    '/profile',
    '/overview',
  ]) {
    await page.goto(path);
    await expect(page.getByTestId('signed-in-user')).toBeVisible();
  }
  expect(violations).toEqual([]);
});

test('a script injected into the HTML is refused and reported', async ({ page }) => {
  await page.route('**/signin', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('</body>', '<script>window.__pwned = true</script></body>');
    await route.fulfill({ response, body });
  });
  const violations = collectViolations(page);
  await page.goto('/signin');
  await expect(page.getByLabel('Email')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned ?? false)).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});
