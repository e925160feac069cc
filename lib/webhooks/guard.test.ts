// The SSRF guard, with the default settings: an ADMIN (or whoever holds one's session) cannot make
// Firebreak POST to the machine itself, the cloud's metadata service or the internal network — by
// address, by a name that resolves there, nor by a name that resolves there only at delivery.
import { describe, expect, it } from 'vitest';
import { Invalid } from '@/lib/errors';
import { createWebhookEndpoint } from '@/lib/webhooks';
import { createWebhookDeliverer } from '@/lib/webhooks/deliver';
import { emitWebhook } from '@/lib/webhooks/emit';
import { forbiddenAddress } from '@/lib/webhooks/guard';
import { staffActor } from '../../test/fixtures';
import { databaseFingerprint, sql } from '../../test/sql';
import { until } from '../../test/until';
import { startReceiver } from '../../test/webhook-receiver';

describe('the webhook SSRF guard', () => {
  it('allows public unicast addresses only', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
    ])
      expect(forbiddenAddress(address), address).not.toBeNull();
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])
      expect(forbiddenAddress(address), address).toBeNull();
  });

  it('refuses endpoints at 127.0.0.1, 169.254.169.254, [::1] and a name resolving to loopback, and stores nothing', async () => {
    const admin = await staffActor('ADMIN');
    const before = await databaseFingerprint();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:3000/',
      'https://[::ffff:7f00:1]/',
      'http://localhost:9000/hook',
      'http://0x7f000001/',
    ])
      await expect(createWebhookEndpoint(admin, { url, events: ['incident.declared'] }), url).rejects.toSatisfy(
        (e) => e instanceof Invalid && e.code === 'webhook_target_refused',
      );
    const after = await databaseFingerprint();
    expect(after.WebhookEndpoint).toBe(before.WebhookEndpoint);
    expect(after.AuditEvent).toBe(before.AuditEvent);
    // A public address passes (nothing is contacted when an endpoint is saved).
    await expect(
      createWebhookEndpoint(admin, { url: 'https://93.184.216.34/hook', events: ['incident.declared'] }),
    ).resolves.toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
  });

  it('refuses at delivery a name that resolves to loopback by then (no DNS rebinding), and reaches nothing', async () => {
    const receiver = await startReceiver(() => 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    const port = new URL(receiver.url).port;
    // As if the name had resolved to a public address when the endpoint was saved.
    for (const url of [`http://localhost:${port}/firebreak`, `http://127.0.0.1:${port}/firebreak`])
      await sql(
        `INSERT INTO "WebhookEndpoint" (id, url, events, secret, "createdBy")
         VALUES (gen_random_uuid(), $1, ARRAY['mail.unfrozen'], 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'test')`,
        [url],
      );
    const client = { query: (text: string, values?: unknown[]) => sql(text, values).then((rows) => ({ rows })) };
    await emitWebhook(client, { type: 'mail.unfrozen', key: `guard-test-${Date.now()}`, data: {} });
    const deliverer = createWebhookDeliverer({
      databaseUrl: process.env.DATABASE_URL!,
      allowPrivate: false,
      maxAttempts: 1,
      retryBaseMs: 10,
      timeoutMs: 1000,
      pollMs: 20,
    });
    deliverer.start();
    try {
      const dead = await until(async () => {
        const rows = await sql<{ url: string; lastError: string }>(
          `SELECT w.url, d."lastError" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" w ON w.id = d."endpointId" WHERE d.status = 'DEAD'`,
        );
        return rows.length === 2 && rows;
      }, 10_000);
      for (const row of dead) expect(row.lastError, row.url).toMatch(/^refused: .*loopback/);
    } finally {
      await deliverer.stop();
      await receiver.close();
    }
    expect(receiver.state).toMatchObject({ accepted: [], refused: 0, failed: 0 });
  });
});
