// The incident's chat channel: a Slack incoming webhook endpoint gets a line of text per event,
// posted through @slack/webhook on the same guarded, ordered, retried delivery as signed webhooks;
// deadlines within the hour and a reset's completion are events too, each announced once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceDueClocks } from '@/lib/clocks/watch';
import { declareIncident } from '@/lib/incidents';
import { freezeMail } from '@/lib/mail/freeze';
import { approveReset, requestReset } from '@/lib/resets';
import { createWebhookEndpoint } from '@/lib/webhooks';
import { createWebhookDeliverer } from '@/lib/webhooks/deliver';
import { slackText } from '@/lib/webhooks/slack';
import { seedCustomers } from '../../test/customers';
import { BREACH, staffActor } from '../../test/fixtures';
import { fanOut } from '../../test/resets';
import { sql } from '../../test/sql';
import { until } from '../../test/until';

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true'; // the stand-in for Slack listens on 127.0.0.1
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

/** Slack's side, as its incoming webhooks behave: a JSON body with `text`, answered "ok" (or 500 while failing). */
async function startSlack() {
  const state = { texts: [] as string[], failing: false };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (state.failing) return response.writeHead(500).end('internal_error');
      state.texts.push((JSON.parse(body) as { text: string }).text);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/x`, state };
}

function deliver() {
  const loop = createWebhookDeliverer({
    databaseUrl: process.env.DATABASE_URL!,
    allowPrivate: true,
    maxAttempts: 10, // 50 ms doubling: retries through a few seconds of failures
    retryBaseMs: 50,
    timeoutMs: 2000,
    pollMs: 20,
  });
  loop.start();
  cleanups.push(loop.stop);
}

const pg = { query: (text: string, values?: unknown[]) => sql(text, values).then((rows) => ({ rows })) };

describe('Slack', () => {
  it('gets a line per key event, in order, through a failing spell', async () => {
    const slack = await startSlack();
    const admin = await staffActor('ADMIN');
    const { endpoint } = await createWebhookEndpoint(admin, {
      url: slack.url,
      format: 'slack',
      events: ['incident.declared', 'mail.frozen', 'reset.effective', 'reset.completed'],
    });
    expect(endpoint.format).toBe('slack');
    slack.state.failing = true;
    deliver();
    await seedCustomers(3, { prefix: 'slack' });
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, { ...BREACH, title: 'Addresses <leaked> & more' });
    await freezeMail(security, { streams: ['BULK'], reason: 'slack test', incident: incident.reference });
    const campaign = await requestReset(security, incident.id, { scope: 'ALL', sendMail: false });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    await fanOut(campaign.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.state.texts).toEqual([]);
    slack.state.failing = false;
    await until(async () => slack.state.texts.length === 4, 15_000);
    expect(slack.state.texts[0]).toBe(
      `:rotating_light: *${incident.reference} declared* (SEV1, DATA_BREACH): Addresses &lt;leaked&gt; &amp; more`,
    );
    expect(slack.state.texts[1]).toMatch(/^:no_entry: \*Mail frozen\*: BULK — 0 held\. slack test/);
    expect(slack.state.texts[2]).toBe(
      `:key: *Password reset in effect* for 3 customers (${incident.reference}): old passwords are refused from now on.`,
    );
    expect(slack.state.texts[3]).toBe(
      `:white_check_mark: *Password reset complete* (${incident.reference}): 3 customers reached, 0 reset mails queued.`,
    );
    const [log] = await sql<{ attempts: number; lastStatus: number }>(
      `SELECT attempts, "lastStatus" FROM "WebhookDelivery" d JOIN "WebhookEvent" e ON e.id = d."eventId" WHERE e.type = 'incident.declared' AND d."endpointId" = $1`,
      [endpoint.id],
    );
    expect(log.attempts).toBeGreaterThan(1); // it failed first, and was retried
    expect(log.lastStatus).toBe(200);
  });

  it('a deadline within the hour is announced once per due time', async () => {
    const slack = await startSlack();
    await createWebhookEndpoint(await staffActor('ADMIN'), { url: slack.url, format: 'slack', events: ['clock.due'] });
    // GDPR's 72 hours started 71.5 hours ago: half an hour left.
    const incident = await declareIncident(await staffActor('SECURITY'), {
      ...BREACH,
      detectedAt: new Date(Date.now() - 71.5 * 3_600_000).toISOString(),
    });
    expect(await announceDueClocks(pg)).toBeGreaterThanOrEqual(1);
    await announceDueClocks(pg); // every minute, from every worker: nothing new
    const events = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "WebhookEvent" WHERE type = 'clock.due' AND payload->'data'->>'incident' = $1 AND payload->'data'->>'clockId' = 'GDPR_33'`,
      [incident.reference],
    );
    expect(events[0].n).toBe(1);
    deliver();
    await until(async () => slack.state.texts.some((t) => t.includes(incident.reference)), 10_000);
    expect(slack.state.texts.find((t) => t.includes('GDPR Art. 33'))).toMatch(
      new RegExp(
        `^:alarm_clock: \\*GDPR Art\\. 33 — supervisory authority due\\* for ${incident.reference} at .+ \\(in (29|30) min\\), not filed yet\\.$`,
      ),
    );
  });

  it('writes every event type as a line, with Slack mrkdwn escaped', () => {
    expect(slackText({ type: 'channel.compromised', data: { channel: { name: 'X', handle: '@ex<ch>' } } })).toBe(
      ':warning: *Official channel compromised*: X @ex&lt;ch&gt;. The public status page says so.',
    );
    expect(slackText({ type: 'something.new', data: {} })).toBe('Firebreak: something.new');
  });
});
