// Mailing a published notice to customers (notify AFFECTED or ALL) on the SECURITY stream, one
// recipient per message, set-based in chunks like the reset fan-out: each chunk enqueues up to
// NOTICE_CHUNK_SIZE customers in id order through the outbox's one writer (one INSERT, HELD if the
// stream is frozen, the one-recipient check) and moves the delivery's cursor in the same
// transaction. A worker lost mid-way leaves the cursor at the last committed chunk; the next one
// resumes there, and the idempotency key makes any overlap a no-op.
import 'server-only';
import { hostname } from 'node:os';
import type pg from 'pg';
import { recordAuditPg } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { config } from '@/lib/config';
import { createPgPool } from '@/lib/db/pg';
import { appendTimeline } from '@/lib/incidents/timeline';
import { enqueueRowsPg, type OutboxRow, RecipientRefused } from '@/lib/mail/outbox';
import { pollingLoop } from '@/lib/polling';
import { unsubscribeUrl } from '@/lib/status/subscriptions';
import type { NoticePayload } from './signing';

const notifier = systemActor('notice-mail');

/** Who a delivery mails: customers (AFFECTED, ALL) or the status page's confirmed subscribers. */
type Audience = 'AFFECTED' | 'ALL' | 'SUBSCRIBERS';

/** The mail every recipient of a notice gets: the notice itself, where it lives, and how to check it is ours. */
export function noticeMail(notice: NoticePayload, keyId: string, verifyUrl: string) {
  return {
    subject: `${config().FIREBREAK_EXCHANGE_NAME}: ${notice.title}`,
    text: [
      notice.title,
      '',
      notice.body,
      '',
      '—',
      `This notice is published at ${notice.url}`,
      `Check that it is really ours at ${verifyUrl} (our notice key: ${keyId}).`,
      'We will never ask for your password, your 2FA codes or for funds.',
    ].join('\n'),
  };
}

type DeliveryRow = {
  noticeId: string;
  disclosureId: string;
  revision: number;
  incidentId: string;
  notify: Audience;
  status: string;
  cursor: string | null;
};

/**
 * One chunk of one delivery on `client` (a dedicated connection): the customers after the cursor,
 * enqueued, and the cursor moved, in one transaction. Returns how many customers it took (0 when
 * the delivery is done, or another worker holds it).
 */
export async function runNoticeChunk(
  client: pg.ClientBase,
  noticeId: string,
  verifyUrl: string,
  audience: Audience = 'ALL',
): Promise<number> {
  await client.query('BEGIN');
  try {
    const {
      rows: [delivery],
    } = await client.query<DeliveryRow>(
      `SELECT * FROM "NoticeDelivery" WHERE "noticeId" = $1 AND notify = $2 FOR UPDATE SKIP LOCKED`,
      [noticeId, audience],
    );
    if (delivery?.status !== 'RUNNING') {
      await client.query('ROLLBACK');
      return 0;
    }
    const {
      rows: [published],
    } = await client.query<{ payload: string; keyId: string }>(
      `SELECT payload, "keyId" FROM "PublishedNotice" WHERE id = $1`,
      [noticeId],
    );
    const notice = JSON.parse(published.payload) as NoticePayload;
    const size = config().NOTICE_CHUNK_SIZE;
    const subscribers = delivery.notify === 'SUBSCRIBERS';
    const { rows: customers } = await client.query<{ id: string; email: string }>(
      subscribers
        ? // Confirmed and not unsubscribed at the moment their chunk is taken.
          `SELECT s.id, s.email FROM "StatusSubscriber" s
            WHERE s."confirmedAt" IS NOT NULL AND s."unsubscribedAt" IS NULL
              AND s.id > coalesce($1::uuid, '00000000-0000-0000-0000-000000000000')
            ORDER BY s.id LIMIT $2`
        : delivery.notify === 'ALL'
          ? `SELECT c.id, c.email FROM "Customer" c
            WHERE c.status = 'ACTIVE' AND c.id > coalesce($1::uuid, '00000000-0000-0000-0000-000000000000')
            ORDER BY c.id LIMIT $2`
          : // Every affected customer is told, whatever the state of their account (suspended, closed).
            `SELECT c.id, c.email FROM "IncidentAffectedCustomer" a JOIN "Customer" c ON c.id = a."customerId"
            WHERE a."incidentId" = $3 AND c.id > coalesce($1::uuid, '00000000-0000-0000-0000-000000000000')
            ORDER BY c.id LIMIT $2`,
      delivery.notify === 'AFFECTED' ? [delivery.cursor, size, delivery.incidentId] : [delivery.cursor, size],
    );
    const { subject, text } = noticeMail(notice, published.keyId, verifyUrl);
    const statusPage = verifyUrl.replace(/\/verify$/, '');
    const rows: OutboxRow[] = customers.map((recipient) => ({
      to: recipient.email,
      subject,
      text,
      idempotencyKey: subscribers
        ? `notice:${delivery.disclosureId}:${delivery.revision}:subscriber:${recipient.id}`
        : `notice:${delivery.disclosureId}:${delivery.revision}:${recipient.id}`,
      incidentId: delivery.incidentId,
      disclosureId: delivery.disclosureId,
      ...(subscribers ? { unsubscribeUrl: unsubscribeUrl(recipient.id, statusPage) } : {}),
    }));
    // Customers on SECURITY (it is about their account); subscribers on BULK (they asked for news).
    const stream = subscribers ? 'BULK' : 'SECURITY';
    const { queued } = rows.length ? await enqueueRowsPg(client, stream, rows) : { queued: 0 };
    const done = customers.length < size;
    const {
      rows: [{ queued: total }],
    } = await client.query<{ queued: number }>(
      `UPDATE "NoticeDelivery" SET cursor = coalesce($2::uuid, cursor), queued = queued + $3,
              status = CASE WHEN $4 THEN 'COMPLETED'::"NoticeDeliveryStatus" ELSE status END,
              "finishedAt" = CASE WHEN $4 THEN now() ELSE "finishedAt" END
        WHERE "noticeId" = $1 AND notify = $5 RETURNING queued`,
      [noticeId, customers.at(-1)?.id ?? null, queued, done, delivery.notify],
    );
    if (done) {
      await recordAuditPg(client, notifier, {
        action: 'disclosure.mailed',
        targetType: 'Disclosure',
        targetId: delivery.disclosureId,
        data: { revision: delivery.revision, notify: delivery.notify, queued: total },
      });
      await appendTimeline(client, notifier, delivery.incidentId, {
        action: 'disclosure.mailed',
        message: `Notice revision ${delivery.revision} queued to ${total.toLocaleString('en-US')} ${subscribers ? 'status-page subscribers' : delivery.notify === 'ALL' ? 'customers' : 'affected customers'}`,
        data: { disclosureId: delivery.disclosureId, revision: delivery.revision },
      });
    }
    await client.query('COMMIT');
    return customers.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    // A recipient the outbox refuses (its stream is frozen already) would be refused again on
    // every retry: the delivery stops, says why, and a person decides.
    if (error instanceof RecipientRefused) {
      await client.query(
        `UPDATE "NoticeDelivery" SET status = 'FAILED', "lastError" = $2, "finishedAt" = now() WHERE "noticeId" = $1 AND notify = $3`,
        [noticeId, error.message, audience],
      );
      return 0;
    }
    throw error;
  }
}

/** The worker's loop: every running delivery, chunk after chunk, on one connection. */
export function createNoticeRunner(options: {
  databaseUrl: string;
  verifyUrl: () => string;
  pollMs?: number;
  log?: (line: string) => void;
}) {
  const log = options.log ?? (() => {});
  const pool = createPgPool('notice mail', { connectionString: options.databaseUrl, max: 1 }, log);

  async function tick() {
    const { rows } = await pool.query<{ noticeId: string; notify: Audience }>(
      `SELECT "noticeId", notify FROM "NoticeDelivery" WHERE status = 'RUNNING' ORDER BY "startedAt"`,
    );
    for (const { noticeId, notify } of rows) {
      // One delivery's trouble (the database away mid-chunk) does not hold up the others.
      const client = await pool.connect();
      let total = 0;
      try {
        for (let n = await runNoticeChunk(client, noticeId, options.verifyUrl(), notify); n > 0 && loop.running(); ) {
          total += n;
          n = await runNoticeChunk(client, noticeId, options.verifyUrl(), notify);
        }
      } catch (error) {
        log(`notice ${noticeId}: ${(error as Error).message}; retrying`);
      } finally {
        client.release();
      }
      if (total) log(`notice ${noticeId} (${notify}): took ${total} recipients (${hostname()})`);
    }
  }

  const loop = pollingLoop({ name: 'notice mail', tick, pollMs: options.pollMs, log, close: () => pool.end() });
  return { start: loop.start, stop: loop.stop };
}
