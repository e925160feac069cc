import { demoEmail } from './config';
import { signedInAs, signInAs } from './helpers';
import { expect, type Page, test } from './test';

/** A fresh incident, declared through the API by the demo ADMIN. */
async function incident(page: Page) {
  const response = await page.request.post('/api/v1/incidents', {
    data: { title: `Notice drill ${Date.now()}`, kind: 'DATA_BREACH', severity: 'SEV1', summary: 'Addresses leaked.' },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).incident.reference as string;
}

test('COMMS drafts a notice from the facts, SECURITY approves that revision, COMMS publishes it signed; executives see it', async ({
  browser,
}) => {
  const reference = await signedInAs(browser, demoEmail('ADMIN'), async (admin) => {
    const ref = await incident(admin);
    // Three demo customers are affected: the notice is mailed to them.
    const marked = await admin.request.post(`/api/v1/incidents/${ref}/affected`, {
      data: { externalIds: ['cust-1', 'cust-2', 'cust-3'] },
    });
    expect(marked.status()).toBe(201);
    return ref;
  });

  const comms = await (await browser.newContext()).newPage();
  comms.on('dialog', (dialog) => dialog.accept());
  await signInAs(comms, demoEmail('COMMS'));
  await comms.goto(`/incidents/${reference}`);
  await expect(comms.getByText('No notice yet: customers have not been told.')).toBeVisible();
  await comms
    .getByRole('form', { name: `New notice for ${reference}` })
    .getByRole('button', { name: 'New notice' })
    .click();
  await expect(comms).toHaveURL(/\/disclosures\/[0-9a-f-]{36}$/);
  const url = comms.url();

  // The template, with the incident's facts filled in and prompts left for a person.
  const body = comms.getByLabel('Notice (markdown)');
  await expect(body).toHaveValue(new RegExp(`Our reference for it is ${reference}\\.`));
  const needs = comms.getByRole('list', { name: 'What the notice still needs' });
  await expect(needs).toContainText('Replace the placeholder {{write:');
  await expect(comms.getByRole('button', { name: 'Submit for approval' })).toBeDisabled();

  // Fill every prompt; the preview follows as the public page will render it.
  const template = await body.inputValue();
  await body.fill(template.replace(/\{\{[^{}]*\}\}/g, 'as the team confirmed'));
  const preview = comms.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('heading', { name: 'What Happened' })).toBeVisible();
  await expect(preview).toContainText('We will never ask for your password, your 2FA codes or for funds.');
  await comms.getByRole('button', { name: 'Save as a new revision' }).click();
  await expect(comms.getByRole('status', { name: 'Notice saved' })).toContainText('Saved as revision 2.');
  await comms.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(comms.getByRole('status', { name: 'Notice step done' })).toContainText('Submitted');
  await expect(comms.getByText('You wrote part of this text: someone else must approve it.')).toBeVisible();

  // SECURITY approves exactly revision 2.
  await signedInAs(browser, demoEmail('SECURITY'), async (security) => {
    security.on('dialog', (dialog) => dialog.accept());
    await security.goto(url);
    await security.getByRole('button', { name: 'Approve revision 2' }).click();
    await security.getByRole('button', { name: 'Yes, approve revision 2' }).click();
    await expect(security.getByRole('status', { name: 'Notice step done' })).toContainText(
      'Approved revision 2: it may be published.',
    );
  });

  // COMMS publishes it: public and signed.
  await comms.reload();
  await comms.getByLabel('Mail the notice to').selectOption('AFFECTED');
  await comms.getByRole('button', { name: 'Publish revision 2' }).click();
  await comms.getByRole('button', { name: 'Yes, publish revision 2' }).click();
  await expect(comms.getByRole('status', { name: 'Notice step done' })).toContainText('Published revision 2, signed.');
  await expect(comms.getByRole('list', { name: 'Revisions' })).toContainText(
    /published .* signed \(key [0-9a-f]{16}\)/,
  );

  // Anyone can check it: the signed JSON against the published keys, through the public API.
  const id = url.split('/').at(-1)!;
  const { disclosure } = await (await comms.request.get(`/api/v1/disclosures/${id}`)).json();
  const signed = disclosure.notices[0].signed;
  // The worker mails it to the three affected customers.
  await expect(async () => {
    await comms.reload();
    await expect(comms.getByRole('list', { name: 'Revisions' })).toContainText(
      'mail to affected customers: 3 queued, done',
      { timeout: 1000 },
    );
  }).toPass({ timeout: 20_000 });
  const keys = await (await comms.request.get('/.well-known/firebreak-notice-keys.json')).json();
  expect(keys.keys.map((k: { kid: string }) => k.kid)).toContain(signed.kid);
  const verdict = await (await comms.request.post('/api/v1/notices/verify', { data: signed })).json();
  expect(verdict).toMatchObject({ authentic: true, notice: { incident: reference, revision: 2 } });

  // The executive sees it published, on the Disclosures page and in the war room.
  await signedInAs(browser, demoEmail('EXECUTIVE'), async (exec) => {
    await exec.goto('/disclosures');
    const row = exec.getByRole('row').filter({ hasText: reference });
    await expect(row).toContainText('published');
    await exec.goto('/overview');
    await expect(exec.getByRole('listitem').filter({ hasText: reference }).getByTestId('notice-state')).toContainText(
      'published revision 2 public',
    );
    await exec.goto(`/incidents/${reference}`);
    await expect(exec.getByRole('list', { name: 'Notices' })).toContainText('published');
    await expect(exec.getByRole('button', { name: 'New notice' })).toHaveCount(0);
  });
});

test('the preview renders a catalogue of injection payloads inert', async ({ browser }) => {
  const payloads = [
    '<script>alert("script")</script>',
    '<img src=x onerror=alert("img")>',
    '[alert](javascript:alert("link"))',
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned = \'img\'">',
    '<svg onload="window.__pwned = \'svg\'"><circle r="5"/></svg>',
    '[click me](javascript:window.__pwned="link")',
    '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![image](javascript:window.__pwned="image")',
    '<a href="javascript:window.__pwned=\'raw\'">raw link</a>',
    '&lt;script&gt;window.__pwned = "entity"&lt;/script&gt;',
    '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
    '<details open ontoggle="window.__pwned=\'toggle\'">x</details>',
    '<style>body { display: none }</style>',
  ];
  await signedInAs(browser, demoEmail('COMMS'), async (page) => {
    const reference = await signedInAs(browser, demoEmail('ADMIN'), incident);
    const created = await page.request.post(`/api/v1/incidents/${reference}/disclosures`, {
      data: { title: 'Injection <b>test</b>', body: payloads.join('\n\n') },
    });
    expect(created.status()).toBe(201);
    const { disclosure } = await created.json();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`/disclosures/${disclosure.id}`);
    const rendered = page.getByRole('region', { name: 'Preview' }).getByTestId('notice-rendered');
    await expect(rendered).toContainText('click me');
    // Typed live into the editor too: the client-side render is the same function.
    await page.getByLabel('Notice (markdown)').fill(`${payloads.reverse().join('\n\n')}\n\nlive`);
    await expect(rendered).toContainText('live');
    for (const link of await rendered.getByRole('link').all()) {
      expect(await link.getAttribute('href')).not.toMatch(/^\s*(javascript|data):/i);
    }
    expect(await rendered.locator('script, iframe, style, svg, img, [onerror], [onload], [ontoggle]').count()).toBe(0);
    await page.waitForTimeout(500); // time for anything that was going to run
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: 'Injection <b>test</b>' })).toBeVisible();
  });
});
