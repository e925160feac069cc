// The outbox: the only way anything enqueues mail, and the release/cancel of held mail. Every
// message has exactly one recipient; a message that has more is refused and its stream frozen.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '@/lib/audit';
import { type Actor, systemActor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { db, type Prisma, type Tx } from '@/lib/db';
import { Invalid } from '@/lib/errors';
import { sha256Hex } from '@/lib/hash';
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
  const input = parseInput(enqueueInput, raw);
  const recipient = checkSingleRecipient(input.to);
  if (!recipient.ok) {
    await refuseAndFreeze(input.stream, `enqueue refused: ${recipient.reason}`, {
      idempotencyKey: input.idempotencyKey,
    });
    throw new Invalid(
      `Refused: a message has exactly one recipient (${recipient.reason}). The ${input.stream} stream is now frozen.`,
      { fields: { to: recipient.reason } },
      'multiple_recipients',
    );
  }
  const write = async (t: Tx) => {
    // Shared stream lock: a freeze waits for this enqueue, so it cannot slip past as QUEUED.
    await t.$executeRaw`SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}::int, ${streamLockKey(input.stream)}::int)`;
    const status = (await frozenStreams(t)).includes(input.stream) ? 'HELD' : 'QUEUED';
    const { count } = await t.mailMessage.createMany({
      data: [{ ...input, to: recipient.address, status, messageId: messageIdFor(input.idempotencyKey) }],
      skipDuplicates: true,
    });
    return { queued: count === 1, status } as const;
  };
  return tx ? write(tx) : db.$transaction(write);
}

/**
 * Queues many messages in one statement (reset fan-out, notices). All or nothing: one message
 * with more than one recipient refuses the whole call and freezes its stream. Returns how many
 * were new (idempotency keys already queued are skipped).
 */
export async function enqueueMany(
  stream: Stream,
  raws: Omit<EnqueueInput, 'stream'>[],
  tx?: Tx,
): Promise<{ queued: number; status: 'QUEUED' | 'HELD' }> {
  const inputs = raws.map((raw) => parseInput(enqueueInput, { ...raw, stream }));
  const rows: (ReturnType<typeof enqueueInput.parse> & { messageId: string })[] = [];
  for (const input of inputs) {
    const recipient = checkSingleRecipient(input.to);
    if (!recipient.ok) {
      await refuseAndFreeze(stream, `enqueue refused: ${recipient.reason}`, {
        idempotencyKey: input.idempotencyKey,
        batch: inputs.length,
      });
      throw new Invalid(
        `Refused the whole batch: a message has exactly one recipient (${recipient.reason}). The ${stream} stream is now frozen.`,
        { fields: { to: recipient.reason } },
        'multiple_recipients',
      );
    }
    rows.push({ ...input, to: recipient.address, messageId: messageIdFor(input.idempotencyKey) });
  }
  const write = async (t: Tx) => {
    await t.$executeRaw`SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}::int, ${streamLockKey(stream)}::int)`;
    const status = (await frozenStreams(t)).includes(stream) ? 'HELD' : 'QUEUED';
    const { count } = await t.mailMessage.createMany({
      data: rows.map((row) => ({ ...row, status })),
      skipDuplicates: true,
    });
    return { queued: count, status } as const;
  };
  return tx ? write(tx) : db.$transaction(write, { timeout: 60_000 });
}

export type OutboxRow = {
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
  incidentId?: string;
  campaignId?: string;
};

/** Thrown before anything is written when a row has other than one recipient; the stream is already frozen. */
export class RecipientRefused extends Invalid {
  constructor(reason: string, stream: Stream) {
    super(
      `Refused: a message has exactly one recipient (${reason}). The ${stream} stream is now frozen.`,
      { fields: { to: reason } },
      'multiple_recipients',
    );
  }
}

/**
 * Set-based enqueue on a plain pg client inside the caller's transaction (the reset fan-out: one
 * INSERT per chunk of thousands). Recipients are checked before the stream lock is taken, so the
 * automatic freeze of a refusal cannot wait on this very transaction.
 */
export async function enqueueRowsPg(
  client: { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }> },
  stream: Stream,
  rows: OutboxRow[],
) {
  const recipients: string[] = [];
  for (const row of rows) {
    const recipient = checkSingleRecipient(row.to);
    if (!recipient.ok) {
      await refuseAndFreeze(stream, `enqueue refused: ${recipient.reason}`, {
        idempotencyKey: row.idempotencyKey,
        batch: rows.length,
      });
      throw new RecipientRefused(recipient.reason, stream);
    }
    recipients.push(recipient.address);
  }
  await client.query(`SELECT pg_advisory_xact_lock_shared(${MAIL_LOCK}, ${streamLockKey(stream)})`);
  const { rows: frozen } = await client.query(
    `SELECT 1 FROM "MailFreeze" WHERE "liftedAt" IS NULL AND $1::"MailStream" = ANY (streams) LIMIT 1`,
    [stream],
  );
  const status = frozen.length ? 'HELD' : 'QUEUED';
  const result = await client.query(
    `INSERT INTO "MailMessage" (id, stream, "to", subject, text, status, "idempotencyKey", "messageId", "incidentId", "campaignId")
     SELECT r.id, $1::"MailStream", r."to", r.subject, r.text, $2::"MailStatus", r.key, r.mid, r.incident, r.campaign
       FROM unnest($10::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[]) AS r(id, "to", subject, text, key, mid, incident, campaign)
     ON CONFLICT ("idempotencyKey") DO NOTHING`,
    [
      stream,
      status,
      recipients,
      rows.map((r) => r.subject),
      rows.map((r) => r.text),
      rows.map((r) => r.idempotencyKey),
      rows.map((r) => messageIdFor(r.idempotencyKey)),
      rows.map((r) => r.incidentId ?? null),
      rows.map((r) => r.campaignId ?? null),
      timeOrderedIds(rows.length),
    ],
  );
  return { queued: result.rowCount ?? 0, status } as const;
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
    return { dryRun: false, count, stillFrozen };
  });
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
    return { dryRun: false, count };
  });
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
    };
  });
}

/** Held messages, newest first (at most 200): what a person decides on one by one. No bodies. */
export async function listHeld(actor: Actor, raw: { holdReason?: string | null; campaignId?: string | null }) {
  assertCan(actor, 'console.read');
  const filter = parseInput(heldFilter.pick({ holdReason: true, campaignId: true }), {
    ...(raw.holdReason ? { holdReason: raw.holdReason } : {}),
    ...(raw.campaignId ? { campaignId: raw.campaignId } : {}),
  });
  const where = heldWhere(filter);
  const [total, messages] = await Promise.all([
    db.mailMessage.count({ where }),
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
  return { total, messages };
}
