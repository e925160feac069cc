// Recording a webhook event: in the transaction of the change it reports (the outbox pattern), so
// the event exists exactly when the change does — a crash before the commit loses both, a crash
// after it neither — and a retried change with the same key adds nothing. A delivery row is added
// for every enabled endpoint that takes the type; the worker (./deliver.ts) sends them. Nothing is
// recorded when no endpoint takes the type (a reset's fan-out then pays one tiny query a chunk).
import 'server-only';
import type { Queryable } from '@/lib/db/queryable';
import type { WebhookEventType } from './schema';

export type WebhookEventInput = {
  type: WebhookEventType;
  /** Names the change, once: e.g. `reset.effective:<campaign>`. A second event with it is dropped. */
  key: string;
  data: Record<string, unknown>;
};

/** The body every receiver gets, as the Standard Webhooks spec shapes it: `{ type, timestamp, data }`. */
export async function emitWebhook(q: Queryable, event: WebhookEventInput) {
  await q.query(
    `WITH e AS (
       INSERT INTO "WebhookEvent" (id, type, key, payload)
       SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), $1, $2,
              jsonb_build_object('type', $1::text, 'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', $3::jsonb)
        WHERE EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."disabledAt" IS NULL AND $1 = ANY (w.events))
       ON CONFLICT (key) DO NOTHING
       RETURNING id, seq)
     INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", seq)
     SELECT gen_random_uuid(), w.id, e.id, e.seq
       FROM e JOIN "WebhookEndpoint" w ON w."disabledAt" IS NULL AND $1 = ANY (w.events)
     RETURNING 1`,
    [event.type, event.key, JSON.stringify(event.data)],
  );
}
