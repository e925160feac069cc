// Webhook endpoints (ADMIN): where Firebreak tells the exchange's systems about the response, and
// the delivery log of each. The secret is made here and shown once; the audit log never holds it.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit';
import { type Actor, actorLabel } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { Conflict, NotFound } from '@/lib/errors';
import { isUuid, parseInput } from '@/lib/validation';
import { checkWebhookTarget } from './guard';
import { type CreateWebhookInput, createWebhookInput, type WebhookEventType, type WebhookFormat } from './schema';

const endpointView = {
  id: true,
  url: true,
  description: true,
  events: true,
  format: true,
  createdAt: true,
  createdBy: true,
  disabledAt: true,
} as const;

/** The columns hold only types the input schema let through (or the emitters wrote). */
function typed<T extends { events: string[]; format: string }>(endpoint: T) {
  return { ...endpoint, events: endpoint.events as WebhookEventType[], format: endpoint.format as WebhookFormat };
}

export async function createWebhookEndpoint(actor: Actor, raw: CreateWebhookInput) {
  assertCan(actor, 'webhooks.manage');
  const input = parseInput(createWebhookInput, raw);
  await checkWebhookTarget(input.url, config().WEBHOOK_ALLOW_PRIVATE_TARGETS);
  // The Standard Webhooks secret format: whsec_ and 24–64 random bytes in base64.
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  return db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: { ...input, secret, createdBy: actorLabel(actor) },
      select: endpointView,
    });
    await recordAudit(tx, actor, {
      action: 'webhook.endpoint_created',
      targetType: 'WebhookEndpoint',
      targetId: endpoint.id,
      data: { url: endpoint.url, events: endpoint.events, format: endpoint.format },
    });
    return { endpoint: typed(endpoint), secret };
  });
}

/** Every endpoint, with its backlog: deliveries waiting, and dead ones. */
export async function listWebhookEndpoints(actor: Actor) {
  assertCan(actor, 'webhooks.manage');
  const [endpoints, counts] = await Promise.all([
    db.webhookEndpoint.findMany({ select: endpointView, orderBy: { createdAt: 'desc' } }),
    db.webhookDelivery.groupBy({
      by: ['endpointId', 'status'],
      where: { status: { in: ['PENDING', 'DEAD'] } },
      _count: { _all: true },
    }),
  ]);
  const count = (id: string, status: 'PENDING' | 'DEAD') =>
    counts.find((c) => c.endpointId === id && c.status === status)?._count._all ?? 0;
  return endpoints.map((e) => ({ ...typed(e), pending: count(e.id, 'PENDING'), dead: count(e.id, 'DEAD') }));
}

async function endpointOrThrow(id: string) {
  const endpoint = isUuid(id) ? await db.webhookEndpoint.findUnique({ where: { id }, select: endpointView }) : null;
  if (!endpoint) throw new NotFound(`No webhook endpoint ${id}.`);
  return endpoint;
}

/** Stops sending to an endpoint at once; its waiting deliveries stay in the log, unsent. */
export async function disableWebhookEndpoint(actor: Actor, id: string) {
  assertCan(actor, 'webhooks.manage');
  const endpoint = await endpointOrThrow(id);
  if (endpoint.disabledAt) throw new Conflict('This endpoint is already disabled.', 'no_change');
  return db.$transaction(async (tx) => {
    const disabled = await tx.webhookEndpoint.update({
      where: { id },
      data: { disabledAt: new Date() },
      select: endpointView,
    });
    await recordAudit(tx, actor, {
      action: 'webhook.endpoint_disabled',
      targetType: 'WebhookEndpoint',
      targetId: id,
      data: { url: endpoint.url },
    });
    return typed(disabled);
  });
}

/** An endpoint's deliveries, newest first (100): what was sent, how it went, and why not. */
export async function listWebhookDeliveries(actor: Actor, endpointId: string) {
  assertCan(actor, 'webhooks.manage');
  const endpoint = await endpointOrThrow(endpointId);
  const deliveries = await db.webhookDelivery.findMany({
    where: { endpointId },
    orderBy: { seq: 'desc' },
    take: 100,
    select: {
      id: true,
      eventId: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastStatus: true,
      lastError: true,
      lastResponseMs: true,
      lastAttemptAt: true,
      deliveredAt: true,
      event: { select: { type: true, createdAt: true } },
    },
  });
  return {
    endpoint: typed(endpoint),
    deliveries: deliveries.map(({ event, ...d }) => ({
      ...d,
      type: event.type as WebhookEventType,
      createdAt: event.createdAt,
    })),
  };
}

/**
 * Sends a delivery again from its first attempt: a DEAD one after the receiver was fixed, or a
 * delivered one the receiver lost. Same webhook-id: a receiver that has it already ignores it.
 */
export async function replayWebhookDelivery(actor: Actor, id: string) {
  assertCan(actor, 'webhooks.manage');
  const found = isUuid(id) ? await db.webhookDelivery.findUnique({ where: { id } }) : null;
  if (!found) throw new NotFound(`No webhook delivery ${id}.`);
  if (found.status === 'PENDING') throw new Conflict('This delivery is still being attempted.', 'no_change');
  return db.$transaction(async (tx) => {
    const replayed = await tx.webhookDelivery.update({
      where: { id },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), claimedUntil: null },
      select: { id: true, status: true, eventId: true },
    });
    await recordAudit(tx, actor, {
      action: 'webhook.delivery_replayed',
      targetType: 'WebhookDelivery',
      targetId: id,
      data: { endpointId: found.endpointId, eventId: found.eventId, was: found.status },
    });
    return replayed;
  });
}
