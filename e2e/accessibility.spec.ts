// axe-core on every console page (as the ADMIN, who sees them all, with something on each: an
// incident with a pending reset, a published notice) and every public page: WCAG 2.2 A and AA
// rules, zero violations. The 390 px phone run checks the same pages do not scroll sideways.
import AxeBuilder from '@axe-core/playwright';
import { demoEmail } from './config';
import { publishedNotice, signedInAs, signInAs } from './helpers';
import { expect, type Page, test } from './test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function axe(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(500);
  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `${path}: axe violations`).toEqual([]);
}

async function fits(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  const widths = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(widths[0], `${path}: scrollWidth at 390 px`).toBeLessThanOrEqual(widths[1]);
}

const CONSOLE = (notice: { id: string; incident: string }) => [
  '/overview',
  '/incidents',
  '/incidents/new',
  `/incidents/${notice.incident}`,
  '/mail',
  '/mail/sink',
  '/disclosures',
  `/disclosures/${notice.id}`,
  '/channels',
  '/customers',
  '/audit',
  '/staff',
  '/integrations',
  '/profile',
  '/no-such-page',
];

const PUBLIC = (notice: { id: string }) => [
  '/signin',
  '/status',
  '/status/history',
  `/status/notices/${notice.id}`,
  '/status/verify',
  '/account/reset/not-a-real-token',
];

test('every console and public page: no axe violations (WCAG 2.2 A/AA)', async ({ browser }) => {
  test.setTimeout(180_000);
  const notice = await publishedNotice(browser, { title: `Accessibility notice ${Date.now()}` });
  // A reset waiting for ADMIN's approval: the banner, the decision and the checklist's waiting state.
  const campaign = await signedInAs(browser, demoEmail('SECURITY'), async (security) => {
    const requested = await security.request.post(`/api/v1/incidents/${notice.incident}/resets`, {
      data: { scope: 'ALL' },
    });
    expect(requested.status(), await requested.text()).toBe(201);
    // A mail log: the war room's blast radius with its figures, histogram and search.
    const log = await security.request.post(`/api/v1/incidents/${notice.incident}/mail-logs?name=a11y.jsonl`, {
      headers: { 'content-type': 'application/x-ndjson' },
      data: `${JSON.stringify({ messageId: `a11y-${Date.now()}`, to: 'a11y-one@elsewhere.example, a11y-two@elsewhere.example' })}\n`,
    });
    expect(log.status(), await log.text()).toBe(201);
    return (await requested.json()).campaign.id as string;
  });
  try {
    await signedInAs(browser, demoEmail('ADMIN'), async (page) => {
      await page.goto('/overview');
      await expect(page.getByRole('region', { name: 'Awaiting your approval' })).toBeVisible();
      for (const path of CONSOLE(notice)) await axe(page, path);
    });
  } finally {
    await signedInAs(browser, demoEmail('SECURITY'), async (security) => {
      expect((await security.request.post(`/api/v1/resets/${campaign}/cancel`)).status()).toBe(200);
    });
  }
  const anonymous = await (await browser.newContext()).newPage();
  for (const path of PUBLIC(notice)) await axe(anonymous, path);
});

test('at 390 px no console or public page scrolls sideways', async ({ browser }) => {
  test.setTimeout(120_000);
  const notice = await publishedNotice(browser, { title: `Phone notice ${Date.now()}` });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signInAs(page, demoEmail('ADMIN'));
  for (const path of [...CONSOLE(notice), ...PUBLIC(notice)]) await fits(page, path);
  await context.close();
});
