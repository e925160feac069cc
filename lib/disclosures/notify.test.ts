// Notice mail through a real SMTP sink: one message per affected customer, one RCPT each, no
// Cc/Bcc; with SECURITY frozen every notice mail is HELD and none is lost; a worker killed in the
// middle of a delivery is replaced and the delivery completes with nobody mailed twice.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCustomers } from '../../test/customers';
import { completeNoticeBody, declaredIncident, publishedRevision, staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';
import { until } from '../../test/until';

// The settings a deployment gives, read by config() on first use; chunks of 7 customers make a
// delivery of a few hundred customers take many transactions.
const PUBLIC_URL = 'https://status.exchange.example';
process.env.FIREBREAK_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
process.env.FIREBREAK_PUBLIC_URL = PUBLIC_URL;
process.env.NOTICE_CHUNK_SIZE = '7';

const { createNoticeRunner } = await import('@/lib/disclosures/notify');
const { markAffected } = await import('@/lib/resets');
const { freezeMail, unfreezeMail } = await import('@/lib/mail/freeze');
const { startDispatcher, startSink } = await import('../../test/mail');
const { startWorkerProcess, killWorker, workerOutput } = await import('../../test/worker-process');
const { systemActor } = await import('@/lib/auth/actor');

/** A notice approved by a second person and published with `notify`; returns its id. */
async function published(incidentId: string, notify: 'AFFECTED' | 'ALL') {
  const people = { author: await staffActor('COMMS'), approver: await staffActor('EXECUTIVE') };
  const content = { title: 'Notice of Data Breach', body: completeNoticeBody({ publicUrl: PUBLIC_URL }) };
  return (await publishedRevision(people, { incident: incidentId }, content, notify)).id;
}

const delivery = async (disclosureId: string) =>
  (
    await sql<{ status: string; queued: number }>(
      `SELECT status, queued FROM "NoticeDelivery" WHERE "disclosureId" = $1 AND notify <> 'SUBSCRIBERS'`,
      [disclosureId],
    )
  )[0];
const mailOf = (disclosureId: string) =>
  sql<{ to: string; status: string; key: string }>(
    `SELECT "to", status::text, "idempotencyKey" AS key FROM "MailMessage" WHERE "disclosureId" = $1`,
    [disclosureId],
  );

const runners: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
function runner() {
  const notices = createNoticeRunner({
    databaseUrl: process.env.DATABASE_URL!,
    verifyUrl: () => `${PUBLIC_URL}/status/verify`,
    pollMs: 50,
  });
  notices.start();
  runners.push(notices);
  return notices;
}

beforeAll(async () => {
  await seedCustomers(300, { prefix: 'notify' });
});

describe('notice mail', () => {
  it('AFFECTED: exactly one mail per affected customer, one RCPT, no Cc/Bcc, the notice and how to check it', async () => {
    const { incident, security } = await declaredIncident();
    const affected = Array.from({ length: 40 }, (_, i) => `notify${i * 7 + 1}`);
    await markAffected(security, incident.id, affected);
    const id = await published(incident.id, 'AFFECTED');
    runner();
    await until(async () => (await delivery(id)).status === 'COMPLETED' || null, 30_000, 50);
    expect(await delivery(id)).toEqual({ status: 'COMPLETED', queued: 40 });

    const sink = await startSink();
    const dispatcher = startDispatcher(sink.port);
    try {
      await until(async () => (await mailOf(id)).every((m) => m.status === 'SENT') || null, 30_000, 50);
    } finally {
      await dispatcher.stop();
      await sink.stop();
    }
    const received = await sql<{
      rcpt: string[];
      headerTo: string;
      headerCc: string | null;
      headerBcc: string | null;
      raw: string;
    }>(
      `SELECT "rcptTo" AS rcpt, "headerTo", "headerCc", "headerBcc", raw FROM "SinkMessage" WHERE subject LIKE '%Notice of Data Breach%'`,
    );
    expect(received).toHaveLength(40);
    expect(new Set(received.map((m) => m.headerTo))).toEqual(new Set(affected.map((e) => `${e}@customers.example`)));
    for (const message of received) {
      expect(message.rcpt).toEqual([message.headerTo]);
      expect(message.headerCc).toBeNull();
      expect(message.headerBcc).toBeNull();
      const text = message.raw.replace(/=\r?\n/g, '');
      expect(text).toContain(`${PUBLIC_URL}/status/notices/${id}`);
      expect(text).toMatch(/our notice key: [0-9a-f]{16}/);
    }
    const [event] = await sql<{ data: { queued: number } }>(
      `SELECT data FROM "AuditEvent" WHERE action = 'disclosure.mailed' AND "targetId" = $1`,
      [id],
    );
    expect(event.data.queued).toBe(40);
  }, 60_000);

  it('ALL with SECURITY frozen: every notice mail is HELD, counted, and none is lost', async () => {
    const { incident } = await declaredIncident();
    await freezeMail(systemActor('test'), { streams: ['SECURITY'], reason: 'notice mail must wait' });
    try {
      const active = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Customer" WHERE status = 'ACTIVE'`))[0]
        .n;
      const id = await published(incident.id, 'ALL');
      runner();
      await until(async () => (await delivery(id)).status === 'COMPLETED' || null, 30_000, 50);
      const mail = await mailOf(id);
      expect(mail).toHaveLength(active);
      expect(mail.every((m) => m.status === 'HELD')).toBe(true);
      expect((await delivery(id)).queued).toBe(active);
    } finally {
      await unfreezeMail(systemActor('test'), { streams: ['SECURITY'], reason: 'test over' });
    }
  }, 60_000);

  it('a worker killed mid-delivery: the next one resumes from the last chunk, nobody is mailed twice', async () => {
    await seedCustomers(3000, { prefix: 'notifybulk' }); // some 470 chunks of 7: seconds, not milliseconds
    const { incident } = await declaredIncident();
    const active = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Customer" WHERE status = 'ACTIVE'`))[0].n;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SMTP_URL; // nothing is sent: the outbox is what counts here
    const first = startWorkerProcess(env);
    const id = await published(incident.id, 'ALL');
    await until(async () => ((await delivery(id))?.queued ?? 0) > 0 || null, 30_000, 20);
    killWorker(first);
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = await delivery(id);
    expect(atKill.status, workerOutput(first)).toBe('RUNNING'); // killed in the middle, not after the end
    const second = startWorkerProcess(env);
    await until(async () => (await delivery(id)).status === 'COMPLETED' || null, 60_000, 50);
    const mail = await mailOf(id);
    expect(mail).toHaveLength(active);
    expect(new Set(mail.map((m) => m.to)).size).toBe(active);
    expect((await delivery(id)).queued, workerOutput(second)).toBe(active);
    // The second worker resumed at the cursor the first one committed: it took only the rest (a
    // worker that started over would take everyone, its re-inserts silently skipped).
    await until(async () => /\(ALL\): took \d+ recipients/.test(workerOutput(second)) || null, 10_000, 50); // logged after the commit
    const taken = [...workerOutput(second).matchAll(/\(ALL\): took (\d+) recipients/g)].reduce(
      // the one running delivery
      (sum, match) => sum + Number(match[1]),
      0,
    );
    expect(taken, workerOutput(second)).toBe(active - atKill.queued);
  }, 120_000);
});
