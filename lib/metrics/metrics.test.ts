// The Prometheus scrape reads the response's state from the database: what it says follows what
// happens (a queue, a freeze, a running reset, a dead webhook, a worker's heartbeat), and a
// metrics:read token can scrape and do nothing else.
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { actorFromBearer, createApiToken } from '@/lib/auth/tokens';
import { credentialStatus } from '@/lib/customers/credential-status';
import { Forbidden } from '@/lib/errors';
import { freezeMail } from '@/lib/mail/freeze';
import { scrapeMetrics } from '@/lib/metrics';
import { approveReset, requestReset } from '@/lib/resets';
import { seedCustomers } from '../../test/customers';
import { declaredIncident, staffActor } from '../../test/fixtures';
import { queue } from '../../test/mail';
import { sql } from '../../test/sql';

/** The value of one sample (`name{labels} value`), or undefined. */
function sample(text: string, series: string) {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('follow the outbox, a freeze, a running reset, webhook dead letters and worker heartbeats', async () => {
    const reader = await staffActor('EXECUTIVE');
    const before = (await scrapeMetrics(reader)).body;
    expect(sample(before, 'firebreak_mail_stream_frozen{stream="BULK"}')).toBe(0);
    expect(sample(before, 'firebreak_workers_alive')).toBe(0);

    await queue('BULK', 7);
    await freezeMail(systemActor('test'), { streams: ['BULK'], reason: 'metrics test' });
    await seedCustomers(3, { prefix: 'metrics' });
    const { security, incident } = await declaredIncident();
    const campaign = await requestReset(security, incident.id, { scope: 'ALL', sendMail: false });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    await sql(
      `INSERT INTO "WorkerHeartbeat" (id, hostname, pid, "startedAt", "lastSeenAt", "mailSent")
       VALUES ('w-live', 'h', 1, now(), now(), 42), ('w-dead', 'h', 2, now() - interval '1 hour', now() - interval '1 hour', 5)`,
    );

    const { body, contentType } = await scrapeMetrics(reader);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(body, 'firebreak_mail_stream_frozen{stream="BULK"}')).toBe(1);
    expect(sample(body, 'firebreak_mail_stream_frozen{stream="SECURITY"}')).toBe(0);
    expect(sample(body, 'firebreak_mail_stream_frozen_seconds{stream="BULK"}')).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'firebreak_mail_held_messages{stream="BULK"}')).toBe(7);
    expect(sample(body, 'firebreak_outbox_messages{stream="BULK",status="HELD"}')).toBe(7);
    expect(
      sample(body, `firebreak_reset_target_customers{campaign="${campaign.id}",incident="${incident.reference}"}`),
    ).toBe(3);
    expect(
      sample(body, `firebreak_reset_processed_customers{campaign="${campaign.id}",incident="${incident.reference}"}`),
    ).toBe(0);
    expect(sample(body, 'firebreak_workers_alive')).toBe(1);
    expect(sample(body, 'firebreak_worker_mail_sent{worker="w-live"}')).toBe(42);
    expect(sample(body, 'firebreak_worker_heartbeat_age_seconds{worker="w-dead"}')).toBeGreaterThan(3000);
    expect(sample(body, 'firebreak_webhook_deliveries{status="dead"}')).toBe(0);
    expect(body).toContain('# TYPE firebreak_customer_logins_total counter');
    expect(body).toMatch(/^firebreak_nodejs_heap_size_total_bytes \d+/m);
  });

  it('a metrics:read token scrapes and may do nothing else; its owner an ADMIN', async () => {
    await seedCustomers(1, { prefix: 'scrape' });
    const admin = await staffActor('ADMIN');
    const { token } = await createApiToken(systemActor('test'), {
      ownerEmail: admin.email,
      name: 'prometheus',
      scope: 'metrics:read',
    });
    const prometheus = (await actorFromBearer(token))!;
    expect((await scrapeMetrics(prometheus)).body).toContain('firebreak_workers_alive');
    await expect(credentialStatus(prometheus, 'scrape1')).rejects.toThrow(Forbidden);
  });
});
