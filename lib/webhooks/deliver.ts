// The worker's webhook delivery loop. The delivery table is the queue (like the mail outbox): it is
// also the delivery log people read and replay from, and it orders per endpoint, which a job per
// delivery in pg-boss would not. Each endpoint gets its events one at a time, in order: its oldest
// pending delivery (its head) is attempted, and the next only once the head is delivered or DEAD.
// A failed attempt waits WEBHOOK_RETRY_BASE_MS × 2^(attempts−1) (±20 %, at most an hour); after
// WEBHOOK_MAX_ATTEMPTS it is DEAD. A claim is a lease: a worker that dies mid-attempt leaves the
// delivery to the next worker once the lease runs out, so a receiver may see one webhook-id twice
// and must dedupe by it (the Standard Webhooks contract); it never sees two ids for one change.
import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { IncomingWebhook } from '@slack/webhook';
import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';
import { createPgPool } from '@/lib/db/pg';
import { pollingLoop } from '@/lib/polling';
import { forbiddenAddress, guardedLookup } from './guard';
import { slackText } from './slack';

export type DelivererOptions = {
  databaseUrl: string;
  allowPrivate: boolean;
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  /** Endpoints attempted at once (each one delivery at a time). */
  concurrency?: number;
  pollMs?: number;
  log?: (line: string) => void;
};

type Claimed = {
  id: string;
  attempts: number;
  url: string;
  format: 'standard' | 'slack';
  secret: string;
  eventId: string;
  payload: { type: string; data: Record<string, unknown> };
};
type Outcome =
  | { ok: true; status: number; ms: number }
  | { ok: false; status: number | null; ms: number; error: string };

const MAX_BACKOFF_MS = 3_600_000;
const RESPONSE_EXCERPT = 300;

export function createWebhookDeliverer(options: DelivererOptions) {
  const log = options.log ?? (() => {});
  const pool = createPgPool('webhooks', { connectionString: options.databaseUrl, max: 2 }, log);
  // Longer than an attempt can take (its timeout), so a live worker never loses its claim.
  const leaseSeconds = Math.ceil(options.timeoutMs / 1000) + 5;
  let delivered = 0;

  async function claim(): Promise<Claimed[]> {
    // The head of each enabled endpoint, if it is due and nobody holds it. Two workers may pick the
    // same head; the UPDATE re-checks the lease on the row it locks, so one of them gets it.
    const { rows } = await pool.query<Claimed>(
      `WITH heads AS (
         SELECT DISTINCT ON (d."endpointId") d.id, d."nextAttemptAt", d."claimedUntil"
           FROM "WebhookDelivery" d JOIN "WebhookEndpoint" w ON w.id = d."endpointId" AND w."disabledAt" IS NULL
          WHERE d.status = 'PENDING'
          ORDER BY d."endpointId", d.seq),
       due AS (
         SELECT id FROM heads
          WHERE "nextAttemptAt" <= now() AND ("claimedUntil" IS NULL OR "claimedUntil" < now())
          LIMIT $2),
       claimed AS (
         UPDATE "WebhookDelivery" d
            SET "claimedUntil" = now() + make_interval(secs => $1), attempts = d.attempts + 1, "lastAttemptAt" = now()
           FROM due
          WHERE d.id = due.id AND d.status = 'PENDING' AND d."nextAttemptAt" <= now()
            AND (d."claimedUntil" IS NULL OR d."claimedUntil" < now())
         RETURNING d.id, d.attempts, d."endpointId", d."eventId")
       SELECT c.id, c.attempts, w.url, w.format, w.secret, c."eventId", e.payload
         FROM claimed c JOIN "WebhookEndpoint" w ON w.id = c."endpointId" JOIN "WebhookEvent" e ON e.id = c."eventId"`,
      [leaseSeconds, options.concurrency ?? 8],
    );
    return rows;
  }

  async function attempt(delivery: Claimed): Promise<Outcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const status = delivery.format === 'slack' ? await toSlack(delivery) : await signedPost(delivery);
      return status >= 200 && status < 300
        ? { ok: true, status, ms: ms() }
        : { ok: false, status, ms: ms(), error: `HTTP ${status}` };
    } catch (error) {
      // @slack/webhook's HTTP error (for a 4xx wrapped once more, so that its retry gives up).
      type SlackError = { statusCode?: number; body?: unknown; originalError?: SlackError };
      const slack = (error as SlackError).statusCode ? (error as SlackError) : (error as SlackError).originalError;
      if (slack?.statusCode)
        return {
          ok: false,
          status: slack.statusCode,
          ms: ms(),
          error: `HTTP ${slack.statusCode} ${String(slack.body ?? '')}`.trim(),
        };
      return { ok: false, status: null, ms: ms(), error: (error as Error).message.slice(0, RESPONSE_EXCERPT) };
    }
  }

  /** Standard Webhooks: the event JSON, signed with the endpoint's secret. */
  async function signedPost(delivery: Claimed) {
    const body = JSON.stringify(delivery.payload);
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Firebreak-Webhooks/1',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(delivery.secret).sign(delivery.eventId, now, body),
    };
    return (await post(delivery.url, headers, body)).status;
  }

  /** A Slack incoming webhook, through @slack/webhook, on the same guarded connection. */
  async function toSlack(delivery: Claimed) {
    const slack = new IncomingWebhook(delivery.url, { fetch: guardedFetch, timeout: options.timeoutMs });
    await slack.send({ text: slackText(delivery.payload), unfurl_links: false, unfurl_media: false });
    return 200; // send() throws on anything but 2xx
  }

  /** The fetch @slack/webhook calls: the guarded POST below, as a fetch response. */
  async function guardedFetch(url: string | URL, init?: { headers?: Record<string, string>; body?: unknown }) {
    const { status, text } = await post(String(url), init?.headers ?? {}, String(init?.body ?? ''));
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText: String(status),
      url: String(url),
      headers: new Headers(),
      text: async () => text,
      json: async () => JSON.parse(text) as unknown,
      arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    };
  }

  /** POSTs without following redirects (a redirect is a failure: it could point anywhere). */
  function post(raw: string, headers: Record<string, string>, body: string) {
    const url = new URL(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Node resolves nothing for an address literal, so the guard's lookup is not asked: check it here.
    if (!options.allowPrivate && ipaddr.isValid(host)) {
      const why = forbiddenAddress(host);
      if (why) return Promise.reject(new Error(`refused: ${why}`));
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: options.timeoutMs,
          ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
        },
        (response) => {
          // Only the start of the answer is kept (Slack says why in it); the rest is read and dropped.
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (text.length < RESPONSE_EXCERPT) text += chunk.slice(0, RESPONSE_EXCERPT - text.length);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  async function record(delivery: Claimed, outcome: Outcome) {
    if (outcome.ok) {
      await pool.query(
        `UPDATE "WebhookDelivery" SET status = 'DELIVERED', "deliveredAt" = now(), "lastStatus" = $2, "lastResponseMs" = $3,
                "lastError" = NULL, "claimedUntil" = NULL
          WHERE id = $1 AND attempts = $4 AND status = 'PENDING'`,
        [delivery.id, outcome.status, outcome.ms, delivery.attempts],
      );
      delivered++;
      return;
    }
    const backoff = Math.min(options.retryBaseMs * 2 ** (delivery.attempts - 1), MAX_BACKOFF_MS);
    const wait = Math.round(backoff * (0.8 + Math.random() * 0.4));
    await pool.query(
      `UPDATE "WebhookDelivery"
          SET status = CASE WHEN attempts >= $5 THEN 'DEAD'::"WebhookDeliveryStatus" ELSE 'PENDING'::"WebhookDeliveryStatus" END,
              "nextAttemptAt" = now() + make_interval(secs => $6::float8 / 1000),
              "lastStatus" = $2, "lastResponseMs" = $3, "lastError" = $4, "claimedUntil" = NULL
        WHERE id = $1 AND attempts = $7 AND status = 'PENDING'`,
      [delivery.id, outcome.status, outcome.ms, outcome.error, options.maxAttempts, wait, delivery.attempts],
    );
  }

  async function tick() {
    // Again at once while there is work: one event per endpoint per round.
    for (let claimed = await claim(); claimed.length > 0 && loop.running(); claimed = await claim()) {
      await Promise.all(claimed.map(async (delivery) => record(delivery, await attempt(delivery))));
    }
  }

  const loop = pollingLoop({ name: 'webhooks', tick, pollMs: options.pollMs ?? 250, log, close: () => pool.end() });
  return { start: loop.start, stop: loop.stop, delivered: () => delivered };
}
