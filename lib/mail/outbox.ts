// The outbox: the only way anything enqueues mail, and the release/cancel of held mail. Every
// message has exactly one recipient; a message that has more is refused and its stream frozen.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '@/lib/audit';
import { type Actor, systemActor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { db, type Prisma, type Tx } from '@/lib/db';
import { prismaQueryable, type Queryable } from '@/lib/db/queryable';
import { Invalid } from '@/lib/errors';
import { sha256Hex } from '@/lib/hash';
import { appendTimeline } from '@/lib/incidents/timeline';
import { parseInput } from '@/lib/validation';
import { freezeMail, frozenStreams } from './freeze';
import { lockStreams, MAIL_LOCK, streamLockKey } from './locks';
import { checkSingleRecipient } from './recipient';
import {
  type EnqueueInput,
  enqueueInput,
  type HeldFilter,
  heldFilter,
  type ReconcileInput,
  reconcileInput,
  STREAMS,
  type Stream,
} from './schema';
import { readTally, tallied } from './tally';

export const MESSAGE_ID_DOMAIN = 'firebreak.mail';

/** Every attempt of one message carries this Message-ID, derived from its idempotency key. */
export const messageIdFor = (idempotencyKey: string) =>
  `<${sha256Hex(idempotencyKey).slice(0, 40)}@${MESSAGE_ID_DOMAIN}>`;

/** UUIDv7s (time-ordered, so the primary key's index grows at its end), with the random bits of a
 *  batch drawn in one call: ~0.5 µs an id instead of ~2 µs. */
function timeOrderedIds(count: number) {
  const random = randomBytes(16 * count);
  return Array.from({ length: count }, (_, i) => uuidv7({ random: random.subarray(16 * i, 16 * i + 16) }));
}

/**
 * Queues one message, or does nothing if its idempotency key is already queued (returns false).
 * Runs in the caller's transaction when given one, so mail is queued together with the change
 * that causes it. A message for a frozen stream is queued as HELD.
 */
export async function enqueueMail(raw: EnqueueInput, tx?: Tx): Promise<{ queued: boolean; status: 'QUEUED' | 'HELD' }> {
  const { stream, ...message } = parseInput(enqueueInput, raw);
  const { queued, status } = await enqueueMany(stream, [message], tx);
  return { queued: queued === 1, status };
}

/**
 * Queues many messages in one statement (notices, tests). All or nothing: one message with more
 * than one recipient refuses the whole call and freezes its stream. Returns how many were new
 * (idempotency keys already queued are skipped).
 */
export async function enqueueMany(
  stream: Stream,
  raws: Omit<EnqueueInput, 'stream'>[],
  tx?: Tx,
): Promise<{ queued: number; status: 'QUEUED' | 'HELD' }> {
  const rows = raws.map((raw) => {
    const { stream: _, ...row } = parseInput(enqueueInput, { ...raw, stream });
    return row;
  });
  // Checked before any transaction: the automatic freeze of a refusal must not wait on it.
  const checked = await checkRecipients(stream, rows);
  const write = (t: Tx) => enqueueRows(prismaQueryable(t), stream, checked);
  return tx ? write(tx) : db.$transaction(write, { timeout: 60_000 });
}

export type OutboxRow = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  idempotencyKey: string;
  incidentId?: string;
  campaignId?: string;
  disclosureId?: string;
  /** A one-click unsubscribe link (RFC 8058): mail to status-page subscribers. */
  unsubscribeUrl?: string;
};

/** Thrown before anything is written when a row has other than one recipient; the stream is already frozen. */
export class RecipientRefused extends Invalid {
  constructor(reason: string, stream: Stream, batch: number) {
    super(
      `Refused${batch > 1 ? ` the whole batch of ${batch}` : ''}: a message has exactly one recipient (${reason}). The ${stream} stream is now frozen.`,
      { fields: { to: reason } },
      'multiple_recipients',
    );
  }
}

/**
 * The one-recipient rule on every row, before anything is written: a refusal freezes the stream.
 * Returns the rows addressed to the one bare address each names.
 */
async function checkRecipients(stream: Stream, rows: OutboxRow[]): Promise<OutboxRow[]> {
  const checked: OutboxRow[] = [];
  for (const row of rows) {
    const recipient = checkSingleRecipient(row.to);
    if (!recipient.ok) {
      await refuseAndFreeze(stream, `enqueue refused: ${recipient.reason}`, {
        idempotencyKey: row.idempotencyKey,
        batch: rows.length,
      });
      throw new RecipientRefused(recipient.reason, stream, rows.length);
    }
    checked.push({ ...row, to: recipient.address });
  }
  return checked;
}

/**
 * Set-based enqueue on a plain pg client inside the caller's transaction (the reset fan-out: one
 * INSERT per chunk of thousands). Recipients are checked before the stream lock is taken, so the
 * automatic freeze of a refusal cannot wait on this very transaction.
 */
export async function enqueueRowsPg(client: Queryable, stream: Stream, rows: OutboxRow[]) {
  return enqueueRows(client, stream, await checkRecipients(stream, rows));
}

/**
 * The outbox's one writer, in the caller's transaction: the stream's shared lock (a freeze waits
 * for this enqueue, so nothing slips past it as QUEUED), then one INSERT of every row — HELD if the
 * stream is frozen — skipping idempotency keys already queued. Rows come from checkRecipients.
 */
async function enqueueRows(client: Queryable, stream: Stream, rows: OutboxRow[]) {
  await client.query(`SELECT 1 FROM pg_advisory_xact_lock_shared(${MAIL_LOCK}, ${streamLockKey(stream)})`);
  const { rows: frozen } = await client.query(
    `SELECT 1 FROM "MailFreeze" WHERE "liftedAt" IS NULL AND $1::"MailStream" = ANY (streams) LIMIT 1`,
    [stream],
  );
  const status = frozen.length ? 'HELD' : 'QUEUED';
  if (rows.length === 0) return { queued: 0, status } as const;
  // A bulk enqueue (a notice to a million customers) repeats one subject and text in every row:
  // sent once as a parameter instead of once a row, a 5,000-row chunk is kilobytes, not megabytes.
  const first = rows[0];
  const shared = rows.every((r) => r.subject === first.subject && r.text === first.text && r.html === first.html);
  const content = shared
    ? {
        subject: '$14::text',
        text: '$15::text',
        html: '$16::text',
        values: [first.subject, first.text, first.html ?? null],
      }
    : {
        subject: 'r.subject',
        text: 'r.text',
        html: 'r.html',
        values: [rows.map((r) => r.subject), rows.map((r) => r.text), rows.map((r) => r.html ?? null)],
      };
  const { rows: inserted } = await client.query(
    `WITH inserted AS (
       INSERT INTO "MailMessage" (id, stream, "to", subject, text, html, status, "idempotencyKey", "messageId", "incidentId", "campaignId", "disclosureId", "unsubscribeUrl")
       SELECT r.id, $1::"MailStream", r."to", ${content.subject}, ${content.text}, ${content.html}, $2::"MailStatus", r.key, r.mid, r.incident, r.campaign, r.disclosure, r.unsubscribe
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::uuid[], $13::text[])
              AS r(id, "to", subject, text, html, key, mid, incident, campaign, disclosure, unsubscribe)
       ON CONFLICT ("idempotencyKey") DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS queued FROM inserted`,
    [
      stream,
      status,
      timeOrderedIds(rows.length),
      rows.map((r) => r.to),
      ...(shared ? [[], [], []] : content.values),
      rows.map((r) => r.idempotencyKey),
      rows.map((r) => messageIdFor(r.idempotencyKey)),
      rows.map((r) => r.incidentId ?? null),
      rows.map((r) => r.campaignId ?? null),
      rows.map((r) => r.disclosureId ?? null),
      // Nulls unless the rows are to subscribers: an array of nulls costs a byte a row.
      rows.map((r) => r.unsubscribeUrl ?? null),
      ...(shared ? content.values : []),
    ],
  );
  return { queued: (inserted[0] as { queued: number }).queued, status } as const;
}

/** The recipient guard tripped: freeze the stream and say why in the audit log. */
export async function refuseAndFreeze(stream: Stream, reason: string, data: Record<string, unknown>) {
  const guard = systemActor('recipient-guard');
  await db.$transaction((tx) =>
    recordAudit(tx, guard, {
      action: 'mail.recipient_guard_refused',
      targetType: 'MailStream',
      targetId: stream,
      data: { reason, ...data },
    }),
  );
  if (!(await frozenStreams()).includes(stream)) {
    await freezeMail(guard, {
      streams: [stream],
      reason: `Automatic: the recipient guard refused a message (${reason.slice(0, 300)})`,
    });
  }
}

/**
 * The transaction of a release, cancel or reconcile of held mail. Not Prisma's default 5 s: a
 * release may wait for a freeze in flight (which waits out an SMTP transaction, FREEZE_TX), and
 * either may change every held message of a reset of all customers (a million rows). A release
 * that gave up after 5 s answered 500 under load and released nothing.
 */
const HELD_TX = { timeout: 600_000, maxWait: 10_000 };

function heldWhere(filter: {
  stream?: Stream;
  incidentId?: string;
  campaignId?: string;
  ids?: string[];
  holdReason?: 'FROZEN' | 'OUTCOME_UNKNOWN';
}): Prisma.MailMessageWhereInput {
  return {
    status: 'HELD',
    ...(filter.stream ? { stream: filter.stream } : {}),
    ...(filter.incidentId ? { incidentId: filter.incidentId } : {}),
    ...(filter.campaignId ? { campaignId: filter.campaignId } : {}),
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.holdReason ? { holdReason: filter.holdReason } : {}),
  };
}

async function countByStream(where: Prisma.MailMessageWhereInput) {
  const groups = await db.mailMessage.groupBy({ by: ['stream'], where, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.stream, g._count._all])) as Partial<Record<Stream, number>>;
}

/**
 * Puts held messages back in the queue. Messages of streams that are still frozen stay held
 * (they would only be held again) and are counted in `stillFrozen`. The release holds the
 * streams' shared locks and decides what is frozen after taking them: a freeze racing the release
 * either commits first (and its streams are skipped) or waits for the release and then holds what
 * it released — never QUEUED mail in a frozen stream.
 */
export async function releaseHeld(actor: Actor, raw: HeldFilter) {
  assertCan(actor, 'mail.release');
  const { dryRun, all: _all, ...filter } = parseInput(heldFilter, raw);
  const targets = filter.stream ? [filter.stream] : [...STREAMS];
  const plan = async (tx: Tx) => {
    const frozen = await frozenStreams(tx);
    const where = { ...heldWhere(filter), stream: { in: targets.filter((s) => !frozen.includes(s)) } };
    const blocked = targets.filter((s) => frozen.includes(s));
    const stillFrozen = blocked.length
      ? await tx.mailMessage.count({ where: { ...heldWhere(filter), stream: { in: blocked } } })
      : 0;
    return { where, stillFrozen };
  };
  if (dryRun) {
    const { where, stillFrozen } = await plan(db);
    return {
      dryRun: true,
      count: await db.mailMessage.count({ where }),
      byStream: await countByStream(where),
      stillFrozen,
    };
  }
  return db.$transaction(async (tx) => {
    await lockStreams(tx, targets, 'shared');
    const { where, stillFrozen } = await plan(tx);
    const { count } = await tx.mailMessage.updateMany({
      where,
      data: { status: 'QUEUED', nextAttemptAt: new Date(), claimToken: null },
    });
    await recordAudit(tx, actor, {
      action: 'mail.held_released',
      targetType: 'MailMessage',
      data: { ...filter, released: count, stillFrozen },
    });
    await onIncidentTimeline(tx, actor, filter, count, {
      action: 'mail.held_released',
      message: `${count.toLocaleString('en-US')} held message(s) released to the queue${stillFrozen ? `; ${stillFrozen.toLocaleString('en-US')} stay held in a frozen stream` : ''}.`,
    });
    return { dryRun: false, count, stillFrozen };
  }, HELD_TX);
}

/** A release or cancel of an incident's (or its reset campaign's) held mail is on its timeline. */
async function onIncidentTimeline(
  tx: Tx,
  actor: Actor,
  filter: { incidentId?: string; campaignId?: string },
  count: number,
  entry: { action: 'mail.held_released' | 'mail.held_cancelled'; message: string },
) {
  const incidentId =
    filter.incidentId ??
    (filter.campaignId
      ? (await tx.resetCampaign.findUnique({ where: { id: filter.campaignId }, select: { incidentId: true } }))
          ?.incidentId
      : undefined);
  if (incidentId && count > 0)
    await appendTimeline(prismaQueryable(tx), actor, incidentId, { ...entry, data: { ...filter, count } });
}

/**
 * Cancels held messages for good. Cancelling every held message (reset links included) is never
 * the default: it takes a filter (stream, incident or campaign) or an explicit `all: true`.
 */
export async function cancelHeld(actor: Actor, raw: HeldFilter) {
  assertCan(actor, 'mail.release');
  const { dryRun, all, ...filter } = parseInput(heldFilter, raw);
  const where = heldWhere(filter);
  if (dryRun)
    return { dryRun: true, count: await db.mailMessage.count({ where }), byStream: await countByStream(where) };
  if (!all && !filter.stream && !filter.incidentId && !filter.campaignId && !filter.ids) {
    throw new Invalid(
      'Name what to cancel: messages, a stream, an incident or a campaign — or send all: true to cancel every held message.',
      { fields: { all: 'Required without a filter.' } },
      'filter_required',
    );
  }
  return db.$transaction(async (tx) => {
    const { count } = await tx.mailMessage.updateMany({ where, data: { status: 'CANCELLED', claimToken: null } });
    await recordAudit(tx, actor, {
      action: 'mail.held_cancelled',
      targetType: 'MailMessage',
      data: { ...filter, cancelled: count },
    });
    await onIncidentTimeline(tx, actor, filter, count, {
      action: 'mail.held_cancelled',
      message: `${count.toLocaleString('en-US')} held message(s) cancelled: they will not be sent.`,
    });
    return { dryRun: false, count };
  }, HELD_TX);
}

/** Message-IDs as they appear in relay logs: `<…@…>`, with or without the angle brackets. */
const MESSAGE_ID = /<?([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+)>?/g;

/**
 * Settles messages held with an unknown outcome (a worker was lost mid-send) against the relay's
 * own record of what it accepted: each uncertain message whose Message-ID (the same on every
 * attempt, derived from its idempotency key) appears in the log is SENT; with `releaseUnlisted`
 * the others go back to the queue; without it they stay held. Audited, with the counts and ids.
 */
export async function reconcileUncertain(actor: Actor, raw: ReconcileInput) {
  assertCan(actor, 'mail.release');
  const input = parseInput(reconcileInput, raw);
  const listed = new Set<string>();
  for (const match of input.log.matchAll(MESSAGE_ID)) listed.add(match[1].toLowerCase());
  return db.$transaction(async (tx) => {
    const uncertain = await tx.mailMessage.findMany({
      where: {
        status: 'HELD',
        holdReason: 'OUTCOME_UNKNOWN',
        ...(input.campaignId ? { campaignId: input.campaignId } : {}),
      },
      select: { id: true, messageId: true, stream: true },
    });
    const bare = (messageId: string) => messageId.replace(/^<|>$/g, '').toLowerCase();
    const delivered = uncertain.filter((m) => listed.has(bare(m.messageId)));
    const unlisted = uncertain.filter((m) => !listed.has(bare(m.messageId)));
    if (delivered.length) {
      await tx.mailMessage.updateMany({
        where: { id: { in: delivered.map((m) => m.id) }, status: 'HELD' },
        data: {
          status: 'SENT',
          sentAt: new Date(),
          smtpResponse: 'accepted (the relay log lists its Message-ID; reconciled by staff)',
          claimToken: null,
        },
      });
    }
    let released = 0;
    let stillFrozen = 0;
    let releasedIds: string[] = [];
    if (input.releaseUnlisted && unlisted.length) {
      // Not into a frozen stream: those stay held (and will be released with the stream).
      const streams = [...new Set(unlisted.map((m) => m.stream))];
      await lockStreams(tx, streams, 'shared');
      const frozen = await frozenStreams(tx);
      const go = unlisted.filter((m) => !frozen.includes(m.stream));
      stillFrozen = unlisted.length - go.length;
      releasedIds = go.map((m) => m.id);
      if (go.length) {
        released = (
          await tx.mailMessage.updateMany({
            where: { id: { in: go.map((m) => m.id) }, status: 'HELD' },
            data: { status: 'QUEUED', nextAttemptAt: new Date(), claimToken: null },
          })
        ).count;
      }
    }
    await recordAudit(tx, actor, {
      action: 'mail.reconciled',
      targetType: 'MailMessage',
      data: {
        uncertain: uncertain.length,
        sent: delivered.length,
        released,
        stillHeld: uncertain.length - delivered.length - released,
        stillFrozen,
        releaseUnlisted: Boolean(input.releaseUnlisted),
        sentMessages: delivered.slice(0, 1000).map((m) => m.id),
        releasedMessages: releasedIds.slice(0, 1000),
      },
    });
    return {
      uncertain: uncertain.length,
      sent: delivered.length,
      released,
      stillHeld: uncertain.length - delivered.length - released,
      stillFrozen,
    };
  }, HELD_TX);
}

/** Held messages, newest first (at most 200): what a person decides on one by one. No bodies. The total is the tally's. */
export async function listHeld(actor: Actor, raw: { holdReason?: string | null; campaignId?: string | null }) {
  assertCan(actor, 'console.read');
  const filter = parseInput(heldFilter.pick({ holdReason: true, campaignId: true }), {
    ...(raw.holdReason ? { holdReason: raw.holdReason } : {}),
    ...(raw.campaignId ? { campaignId: raw.campaignId } : {}),
  });
  const where = heldWhere(filter);
  const [tally, messages] = await Promise.all([
    readTally(filter.campaignId ? { campaignId: filter.campaignId } : {}),
    db.mailMessage.findMany({
      where,
      orderBy: { queuedAt: 'desc' },
      take: 200,
      select: {
        id: true,
        stream: true,
        to: true,
        subject: true,
        holdReason: true,
        lastError: true,
        queuedAt: true,
        attempts: true,
        campaignId: true,
        messageId: true,
      },
    }),
  ]);
  const total = tallied(
    tally,
    (row) => row.status === 'HELD' && (!filter.holdReason || row.holdReason === filter.holdReason),
  );
  return { total, messages };
}
