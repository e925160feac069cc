// After a worker was lost mid-send, the Mail page lists the uncertain messages; SECURITY settles
// them with the relay's log (listed → sent) and decides the rest one by one.

import pg from 'pg';
import { demoEmail } from './config';
import { e2eDatabaseUrl, signInAs } from './helpers';
import { expect, test } from './test';

test('uncertain mail is reconciled against the relay log and the rest decided one by one', async ({ page }) => {
  test.skip(Boolean(process.env.DATABASE_URL), 'stages rows in the embedded e2e database');
  const stamp = Date.now();
  const ids = [`e2e-uncertain-${stamp}-1`, `e2e-uncertain-${stamp}-2`];
  const messageIds = ids.map((id) => `<${id}@firebreak.local>`);
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    // What recovery leaves when the relay cannot say whether it accepted them (lib/mail/dispatcher.ts).
    for (const [i, id] of ids.entries()) {
      await client.query(
        `INSERT INTO "MailMessage" (id, stream, "to", subject, text, status, "holdReason", "idempotencyKey", "messageId", attempts, "lastError")
         VALUES (gen_random_uuid(), 'TRANSACTIONAL', $1, 'Your statement', 'Hello', 'HELD', 'OUTCOME_UNKNOWN', $2, $3, 1, 'outcome unknown')`,
        [`${id}@customers.example`, id, messageIds[i]],
      );
    }
    await signInAs(page, demoEmail('SECURITY'));
    await page.goto('/mail');
    const panel = page.getByRole('region', { name: 'Uncertain mail' });
    await expect(panel.getByRole('table', { name: 'Uncertain messages' })).toContainText(`${ids[0]}@customers.example`);

    const form = panel.getByRole('form', { name: 'Reconcile with the relay log' });
    await form.getByLabel(/relay.s log of accepted messages/).setInputFiles({
      name: 'maillog',
      mimeType: 'text/plain',
      buffer: Buffer.from(`Nov 25 10:00:01 relay postfix/cleanup[1]: 4F1A2: message-id=${messageIds[0]}\n`),
    });
    await form.getByRole('button', { name: 'Reconcile' }).click();
    await expect(page.getByRole('status', { name: 'Reconciled' })).toContainText('1 marked sent');
    await expect(panel.getByRole('table', { name: 'Uncertain messages' })).not.toContainText(
      `${ids[0]}@customers.example`,
    );

    page.once('dialog', (dialog) => dialog.accept());
    await panel.getByRole('button', { name: `Cancel message to ${ids[1]}@customers.example` }).click();
    await expect(page.getByRole('cell', { name: `${ids[1]}@customers.example` })).toHaveCount(0); // with it the last, the panel goes
    const { rows } = await client.query<{ status: string }>(
      `SELECT status FROM "MailMessage" WHERE "idempotencyKey" = ANY ($1) ORDER BY "idempotencyKey"`,
      [ids],
    );
    expect(rows.map((r) => r.status)).toEqual(['SENT', 'CANCELLED']);
  } finally {
    await client.end();
  }
});
