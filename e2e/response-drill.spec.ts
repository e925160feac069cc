import { demoEmail, E2E_PASSWORD } from './config';
import { unfreezeAllMail } from './helpers';
import { type Browser, expect, type Locator, type Page, test } from './test';

/**
 * The response drill (README, "The response drill"): two people who do not know the product run
 * the whole response from the landing page — SECURITY declares, freezes, requests the reset,
 * drafts, submits and publishes the notice and files the reports; ADMIN approves the reset and the
 * notice — through the checklist's buttons and the approval banner only, never a typed URL. Every
 * click and fill is counted; the drill fails above the budget, and at any dead end (a step whose
 * action is not where the checklist says).
 */
const BUDGET = { clicks: 29, fills: 7 };

class Drill {
  clicks = 0;
  fills = 0;
  dialogs: string[] = [];
  constructor(private readonly phone: boolean) {}

  async click(target: Locator) {
    this.clicks++;
    await target.click();
  }

  async fill(target: Locator, value: string) {
    this.fills++;
    await target.fill(value);
  }

  /** On a phone, the page never scrolls sideways. */
  async fits(page: Page) {
    if (!this.phone) return;
    const { scrollWidth, clientWidth, path } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      path: location.pathname,
    }));
    expect(scrollWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
  }

  /** From the landing page: sign in (two fills, one click). */
  async signIn(browser: Browser, email: string, viewport: { width: number; height: number }) {
    const page = await (await browser.newContext({ viewport })).newPage();
    // No browser dialog is part of the drill: every confirmation is a button in the page, counted.
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto('/');
    await this.fill(page.getByLabel('Email'), email);
    await this.fill(page.getByLabel('Password'), E2E_PASSWORD);
    await this.click(page.getByRole('button', { name: 'Sign in' }));
    await expect(page.getByRole('heading', { name: 'Response status' })).toBeVisible();
    await this.fits(page);
    return page;
  }
}

const step = (page: Page, id: string) => page.locator(`[data-step="${id}"]`);

async function drill(browser: Browser, viewport: { width: number; height: number }) {
  await unfreezeAllMail(browser);
  try {
    return await steps(browser, viewport);
  } finally {
    // The drill freezes mail: whatever happened, the specs after it start unfrozen.
    await unfreezeAllMail(browser);
  }
}

async function steps(browser: Browser, viewport: { width: number; height: number }) {
  const phone = viewport.width < 500;
  const run = new Drill(phone);
  const title = `Drill ${phone ? 'phone' : 'desktop'} ${Date.now()}`;

  // SECURITY declares from the landing page.
  const security = await run.signIn(browser, demoEmail('SECURITY'), viewport);
  await run.click(security.getByRole('link', { name: 'Declare a breach' }));
  await run.fill(security.getByLabel('Title'), title);
  await run.fill(security.getByLabel('Summary'), 'The bulk tool put customers in To: instead of Bcc:.');
  await run.click(security.getByRole('button', { name: 'Declare breach' }));
  await expect(security.getByRole('heading', { name: title })).toBeVisible();
  await expect(security).toHaveURL(/\/incidents\/INC-\d{4}-\d{4}$/);
  const reference = security.url().split('/').at(-1)!;
  await run.fits(security);

  // The checklist's first open step: freeze the mail (everything but the reset mail's stream).
  await expect(step(security, 'freeze')).toHaveAttribute('aria-current', 'step');
  await run.click(step(security, 'freeze').getByRole('button', { name: 'Freeze mail…' }));
  await run.click(step(security, 'freeze').getByRole('button', { name: /^Yes, freeze/ }));
  await expect(step(security, 'freeze')).toHaveAttribute('data-state', 'done');
  await expect(security.getByTestId('mail-state')).toContainText('frozen');

  // Request the reset: the checklist jumps to the form; the defaults are the runbook's.
  await run.click(step(security, 'reset-requested').getByRole('link', { name: 'Request the reset' }));
  await run.click(security.getByRole('button', { name: /^Request reset/ }));
  await expect(step(security, 'reset-approved')).toHaveAttribute('data-state', 'waiting');
  await run.fits(security);

  // ADMIN is told on the landing page, and approves from the banner's link.
  const admin = await run.signIn(browser, demoEmail('ADMIN'), viewport);
  const banner = admin.getByRole('region', { name: 'Awaiting your approval' });
  await run.click(banner.getByRole('link', { name: new RegExp(`^Password reset of .*\\(${reference}\\)`) }));
  await run.click(admin.getByRole('button', { name: 'Approve…' }));
  await run.click(admin.getByRole('button', { name: /^Reset passwords of [\d,]+ customers now\?$/ }));
  await expect(step(admin, 'reset-approved')).toHaveAttribute('data-state', 'done');
  await run.fits(admin);

  // The worker mails every reset link (SECURITY was never frozen by the runbook's freeze).
  await expect(async () => {
    await security.reload();
    await expect(step(security, 'reset-mail')).toHaveAttribute('data-state', 'done', { timeout: 1000 });
  }).toPass({ timeout: 60_000 });

  // The notice: drafted from the facts, its prompts written, submitted.
  await run.click(step(security, 'notice-drafted').getByRole('button', { name: 'Draft the notice' }));
  await expect(security).toHaveURL(/\/disclosures\/[0-9a-f-]{36}$/);
  await run.fits(security);
  const body = security.getByLabel('Notice (markdown)');
  const template = await body.inputValue();
  await run.fill(body, template.replace(/\{\{[^{}]*\}\}/g, 'as the team confirmed'));
  await run.click(security.getByRole('button', { name: 'Save as a new revision' }));
  await expect(security.getByRole('status', { name: 'Notice saved' })).toContainText('Saved as revision 2.');
  await run.click(security.getByRole('button', { name: 'Submit for approval' }));
  await expect(security.getByRole('status', { name: 'Notice step done' })).toContainText('Submitted');

  // ADMIN's banner names the notice; approving it is one click (and the browser's confirmation).
  await admin.reload();
  await run.click(
    admin
      .getByRole('region', { name: 'Awaiting your approval' })
      .getByRole('link', { name: new RegExp(`^Notice .*\\(${reference}\\)`) }),
  );
  await run.click(admin.getByRole('button', { name: 'Approve revision 2' }));
  await run.click(admin.getByRole('button', { name: 'Yes, approve revision 2' }));
  await expect(admin.getByRole('status', { name: 'Notice step done' })).toContainText('Approved revision 2');
  await run.fits(admin);

  // SECURITY publishes from the war room's checklist.
  await run.click(security.getByRole('link', { name: /^← Back to the war room/ }));
  await run.click(step(security, 'notice-published').getByRole('link', { name: 'Publish' }));
  await run.click(security.getByRole('button', { name: 'Publish revision 2' }));
  await run.click(security.getByRole('button', { name: 'Yes, publish revision 2' }));
  await expect(security.getByRole('status', { name: 'Notice step done' })).toContainText('Published revision 2');
  await run.click(security.getByRole('link', { name: /^← Back to the war room/ }));
  await expect(step(security, 'notice-published')).toHaveAttribute('data-state', 'done');

  // The regulators: each first notification marked filed where the checklist points (filing
  // DORA's initial report starts its follow-up clocks, which are not part of the first hour).
  await run.click(step(security, 'regulators').getByRole('link', { name: 'Mark reports filed' }));
  const clocks = security.getByRole('list', { name: 'Regulatory clocks' });
  for (let i = 0; i < 10 && (await step(security, 'regulators').getAttribute('data-state')) !== 'done'; i++) {
    const button = clocks
      .locator('li')
      .filter({ hasNotText: /DORA (intermediate|final)/ })
      .getByRole('button', { name: /^Mark filed: / })
      .first();
    const name = (await button.getAttribute('aria-label'))!;
    await run.click(button);
    await run.click(clocks.getByRole('button', { name: `Yes, mark filed: ${name}` }));
    await expect(clocks.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await run.fits(security);

  // Every step done, nothing left open: no dead end.
  await expect(security.locator('[data-step]:not([data-state="done"])')).toHaveCount(0);
  await expect(security.getByText(`${9} of 9 done`)).toBeVisible();
  return run;
}

const SCREENS = [
  {
    name: 'the response drill: two people, the checklist’s buttons only, within the click budget',
    width: 1280,
    height: 900,
  },
  { name: 'the same drill on a 390 × 844 phone: no page scrolls sideways', width: 390, height: 844 },
];

for (const { name, width, height } of SCREENS)
  test(name, async ({ browser }) => {
    test.setTimeout(180_000);
    const run = await drill(browser, { width, height });
    console.log(`response drill (${width} px): ${run.clicks} clicks, ${run.fills} fills`);
    expect(run.dialogs).toEqual([]);
    expect(run.clicks).toBeLessThanOrEqual(BUDGET.clicks);
    expect(run.fills).toBeLessThanOrEqual(BUDGET.fills);
  });
