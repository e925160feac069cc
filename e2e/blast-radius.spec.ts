import { demoEmail } from './config';
import { signInAs } from './helpers';
import { expect, test } from './test';

// The leak as it happens: a bulk tool put 120 recipients in one visible To list (100 demo customers
// and 20 addresses nobody has in the directory), another message went right (Bcc only), and the log
// has two lines it cannot read. The war room imports the log, shows the figures, answers "was this
// address exposed?", marks the exposed customers affected, and a reset of the affected cohort
// counts exactly them.
const CUSTOMERS = Array.from({ length: 100 }, (_, i) => `customer${1801 + i}@demo.firebreak.local`);
const OUTSIDERS = Array.from({ length: 20 }, (_, i) => `former${i}@elsewhere.example`);

function mailLog() {
  const to = [...CUSTOMERS.map((a, i) => (i % 2 ? `"Customer ${i}, Jr." <${a.toUpperCase()}>` : a)), ...OUTSIDERS];
  return [
    'messageId,date,from,to,cc,bcc',
    `<leak-${Date.now()}@tool.example>,2019-11-01T12:00:00Z,news@exchange.example,"${to.join(', ').replaceAll('"', '""')}",,`,
    `<news-${Date.now()}@tool.example>,2019-11-01T12:05:00Z,news@exchange.example,undisclosed-recipients:;,,"${[...CUSTOMERS.slice(0, 10), 'customer1990@demo.firebreak.local'].join(', ')}"`,
    '<broken@tool.example>,2019-11-01T12:06:00Z,news@exchange.example,"one@x.example two@x.example",,',
    '<nobody@tool.example>,2019-11-01T12:07:00Z,news@exchange.example,,,',
  ].join('\n');
}

test('a mail log uploaded on the war room gives the blast radius; the exposed customers become the reset cohort', async ({
  page,
}) => {
  await signInAs(page, demoEmail('SECURITY'));
  const { incident } = await (
    await page.request.post('/api/v1/incidents', {
      data: {
        title: `Bulk mail To: leak ${Date.now()}`,
        kind: 'DATA_BREACH',
        severity: 'SEV1',
        summary: 'To instead of Bcc.',
      },
    })
  ).json();
  await page.goto(`/incidents/${incident.reference}`);
  const blast = page.locator('#blast');
  await expect(blast).toContainText('No mail log imported yet');

  await blast.getByLabel(/The leaking tool's mail log/).setInputFiles({
    name: 'bulk-tool.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(mailLog()),
  });
  await blast.getByRole('button', { name: 'Import mail log' }).click();
  const outcome = blast.getByRole('alert', { name: 'Mail log not fully imported' });
  await expect(outcome).toContainText('2 message(s) imported; 2 malformed line(s) were not');
  await expect(outcome).toContainText(
    'Line 4: to: "one@x.example" and "two@x.example" look like two addresses without a comma',
  );
  await expect(outcome).toContainText('Line 5: no recipients in to, cc or bcc');

  const figures = blast.getByTestId('exposure-figures');
  await expect(figures).toContainText('Exposed addresses120');
  await expect(figures).toContainText('of them customers100');
  await expect(figures).toContainText('not in the directory20');
  await expect(figures).toContainText('Messages that exposed someone1');
  await expect(blast.getByTestId('exposure-histogram')).toHaveAttribute('aria-label', /120 seen by 100–199/);

  // Was this customer exposed, and to whom? (asked with capitals and a display name)
  await blast.getByLabel('Was this address exposed, and to whom?').fill(`Someone <${CUSTOMERS[3].toUpperCase()}>`);
  await blast.getByRole('button', { name: 'Look up' }).click();
  const answer = blast.getByRole('status', { name: 'Search answer' });
  await expect(answer).toContainText(
    `${CUSTOMERS[3]} (customer cust-1804) was seen by 119 other recipient(s) in 1 message(s).`,
  );
  // In the log, but only in Bcc: it saw others, nobody saw it.
  await blast.getByLabel('Was this address exposed, and to whom?').fill('customer1990@demo.firebreak.local');
  await blast.getByRole('button', { name: 'Look up' }).click();
  await expect(answer).toContainText('was not exposed');

  // The export for regulators: the exposed set, most seen first.
  const download = page.waitForEvent('download');
  await blast.getByRole('link', { name: /Export the exposed set/ }).click();
  const csv = await (await download).createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  });
  const rows = csv.trim().split('\n');
  expect(rows[0]).toBe('address,externalId,messages,seenBy');
  expect(rows).toHaveLength(121);
  expect(rows).toContain(`${CUSTOMERS[0]},cust-1801,1,119`);

  // Mark them affected: the count is asked again, in the page.
  await blast.getByRole('button', { name: 'Mark the 100 exposed customers affected…' }).click();
  await blast.getByRole('button', { name: 'Yes, mark 100 affected' }).click();
  await expect(blast.getByTestId('exposed-marked')).toHaveText('All 100 exposed customers are marked affected.');
  await expect(page.getByTestId('affected-count')).toContainText('100 customer(s) marked affected');

  // A reset of the affected cohort counts exactly the exposed customers.
  const form = page.getByRole('form', { name: 'Request a password reset' });
  await form.getByLabel('Cohort').selectOption('AFFECTED');
  await form.getByRole('button', { name: /Request reset/ }).click();
  await expect(page.getByText('Dry run: 100 customers would be reset.')).toBeVisible();

  // Leave no pending reset behind for the other tests' approval banners.
  const { campaigns } = await (await page.request.get(`/api/v1/incidents/${incident.reference}/resets`)).json();
  for (const c of campaigns) expect((await page.request.post(`/api/v1/resets/${c.id}/cancel`)).status()).toBe(200);
});

test('a log larger than any buffer arrives whole through the web server (no 10 MB cut)', async ({ page }) => {
  await signInAs(page, demoEmail('SECURITY'));
  const { incident } = await (
    await page.request.post('/api/v1/incidents', {
      data: { title: `Big log ${Date.now()}`, kind: 'DATA_BREACH', severity: 'SEV2', summary: 'A long log.' },
    })
  ).json();
  const messages = 80_000;
  const lines = Array.from(
    { length: messages },
    (_, i) =>
      `{"messageId":"big-${i}@tool.example","time":"2019-11-01T12:00:00Z","from":"news@exchange.example","to":"\\"Person ${i}, Jr.\\" <big${i}@elsewhere.example>, big${i + messages}@elsewhere.example"}`,
  );
  const body = `${lines.join('\n')}\n`;
  expect(body.length).toBeGreaterThan(12 * 1024 * 1024);
  const response = await page.request.post(`/api/v1/incidents/${incident.reference}/mail-logs?name=big.jsonl`, {
    headers: { 'content-type': 'application/x-ndjson' },
    data: body,
    timeout: 120_000,
  });
  expect(response.status(), await response.text()).toBe(201);
  const result = await response.json();
  expect(result).toMatchObject({ lines: messages, messages, malformed: 0 });
  expect(result.figures).toMatchObject({ exposedAddresses: 2 * messages, exposingMessages: messages });
});

test('only SECURITY and ADMIN see the import; others read the figures', async ({ browser }) => {
  const security = await (await browser.newContext()).newPage();
  await signInAs(security, demoEmail('SECURITY'));
  const { incident } = await (
    await security.request.post('/api/v1/incidents', {
      data: { title: `Read-only blast ${Date.now()}`, kind: 'DATA_BREACH', severity: 'SEV2', summary: 'Leak.' },
    })
  ).json();
  const imported = await security.request.post(`/api/v1/incidents/${incident.reference}/mail-logs?name=x.csv`, {
    headers: { 'content-type': 'text/csv' },
    data: 'messageId,to\nro-1,"a@ro.example, b@ro.example, c@ro.example"\n',
  });
  expect(imported.status()).toBe(201);
  for (const role of ['COMMS', 'EXECUTIVE'] as const) {
    const page = await (await browser.newContext()).newPage();
    await signInAs(page, demoEmail(role));
    await page.goto(`/incidents/${incident.reference}`);
    const blast = page.locator('#blast');
    await expect(blast.getByTestId('exposure-figures')).toContainText('Exposed addresses3');
    await expect(blast.getByRole('button', { name: 'Import mail log' })).toHaveCount(0);
    await expect(blast.getByRole('button', { name: /exposed customers affected/ })).toHaveCount(0);
    const refused = await page.request.post(`/api/v1/incidents/${incident.reference}/mail-logs?name=x.csv`, {
      headers: { 'content-type': 'text/csv' },
      data: 'messageId,to\nro-2,"d@ro.example, e@ro.example"\n',
    });
    expect(refused.status()).toBe(403);
  }
  const { figures } = await (await security.request.get(`/api/v1/incidents/${incident.reference}/exposure`)).json();
  expect(figures.messages).toBe(1);
});
