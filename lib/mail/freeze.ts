// Freezing and unfreezing mail streams (DESIGN invariant 2). When freezeMail returns, no message
// of a frozen stream is in an SMTP transaction and none will start until the freeze is lifted;
// the stream's QUEUED messages are HELD. Lifting a freeze releases nothing by itself.
import 'server-only';
import { recordAudit } from '@/lib/audit';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { db, type Tx } from '@/lib/db';
import { prismaQueryable } from '@/lib/db/queryable';
import { Conflict } from '@/lib/errors';
import { findIncidentIn } from '@/lib/incidents';
import { appendTimeline } from '@/lib/incidents/timeline';
import { parseInput } from '@/lib/validation';
import { emitWebhook } from '@/lib/webhooks/emit';
import { lockStreams } from './locks';
import { type FreezeInput, freezeInput, STREAMS, type Stream } from './schema';
import { NAMED_BY_SLOT } from './slots';

/** Long enough to wait out an SMTP transaction in flight (the dispatcher's socket timeout is 30 s). */
const FREEZE_TX = { timeout: 60_000, maxWait: 10_000 };

export async function frozenStreams(tx: Tx = db): Promise<Stream[]> {
  const rows = await tx.$queryRaw<
    { stream: Stream }[]
  >`SELECT DISTINCT unnest(streams)::text AS stream FROM "MailFreeze" WHERE "liftedAt" IS NULL`;
  return STREAMS.filter((s) => rows.some((r) => r.stream === s));
}

export async function freezeMail(actor: Actor, raw: FreezeInput) {
  assertCan(actor, 'mail.freeze');
  const { streams, reason, incident: incidentRef } = parseInput(freezeInput, raw);
  const started = Date.now();
  return db.$transaction(async (tx) => {
    const incident = incidentRef ? await findIncidentIn(tx, incidentRef) : null;
    await lockStreams(tx, streams, 'exclusive');
    const freeze = await tx.mailFreeze.create({
      data: { streams, reason, frozenById: actorStaffId(actor), frozenBy: actorLabel(actor), incidentId: incident?.id },
    });
    // QUEUED mail, and mail a dispatcher has claimed but not started (no chunk can be in flight:
    // we hold the streams' locks exclusively). A claimed message would be held anyway when its
    // chunk met the freeze; holding it here makes `held` the number that ends up held. A claimed
    // message a slot row names (accepted, or in flight, when its worker or its connection was
    // lost) is left to recovery, which knows whether it was sent: held as plain frozen mail, a
    // release would send it again.
    const held = await tx.$executeRawUnsafe(
      `UPDATE "MailMessage" m SET status = 'HELD', "claimToken" = NULL
        WHERE m.stream::text = ANY ($1::text[]) AND (m.status = 'QUEUED' OR (m.status = 'SENDING' AND NOT ${NAMED_BY_SLOT}))`,
      streams,
    );
    await recordAudit(tx, actor, {
      action: 'mail.frozen',
      targetType: 'MailFreeze',
      targetId: freeze.id,
      data: { streams, reason, held, waitedMs: Date.now() - started, incident: incident?.reference },
    });
    if (incident)
      await appendTimeline(prismaQueryable(tx), actor, incident.id, {
        action: 'mail.frozen',
        message: `Mail frozen: ${streams.join(', ')} (${held.toLocaleString('en-US')} queued message(s) held). ${reason}`,
        data: { freezeId: freeze.id, streams, held },
      });
    await emitWebhook(prismaQueryable(tx), {
      type: 'mail.frozen',
      key: `mail.frozen:${freeze.id}`,
      data: {
        streams,
        reason,
        held,
        frozenAt: freeze.frozenAt,
        frozenBy: freeze.frozenBy,
        incident: incident?.reference ?? null,
      },
    });
    return { freeze, held };
  }, FREEZE_TX);
}

export async function unfreezeMail(actor: Actor, raw: FreezeInput) {
  assertCan(actor, 'mail.freeze');
  const { streams, reason } = parseInput(freezeInput, raw);
  return db.$transaction(async (tx) => {
    // Every stream, not only these: a freeze of several streams lifted for some of them is
    // replaced by one for the rest, so two partial unfreezes of it must not run side by side
    // (each would keep the other's stream frozen). The reads below see the previous one's result.
    await lockStreams(tx, STREAMS, 'exclusive');
    const active = await tx.mailFreeze.findMany({ where: { liftedAt: null } });
    const covering = active.filter((f) => f.streams.some((s) => streams.includes(s)));
    if (covering.length === 0) throw new Conflict(`No active freeze covers ${streams.join(', ')}.`, 'not_frozen');
    const now = new Date();
    for (const freeze of covering) {
      await tx.mailFreeze.update({
        where: { id: freeze.id },
        data: { liftedAt: now, liftedById: actorStaffId(actor), liftedBy: actorLabel(actor), liftReason: reason },
      });
      // A freeze of several streams lifted for some of them stays in force for the others.
      const remaining = freeze.streams.filter((s) => !streams.includes(s));
      if (remaining.length) {
        await tx.mailFreeze.create({
          data: {
            streams: remaining,
            reason: freeze.reason,
            frozenById: freeze.frozenById,
            frozenBy: freeze.frozenBy,
            frozenAt: freeze.frozenAt,
            incidentId: freeze.incidentId,
          },
        });
      }
    }
    await recordAudit(tx, actor, {
      action: 'mail.unfrozen',
      targetType: 'MailFreeze',
      data: { streams, reason, lifted: covering.map((f) => f.id) },
    });
    // The lift is on the timeline of every incident whose freeze it lifted.
    for (const incidentId of new Set(covering.flatMap((f) => (f.incidentId ? [f.incidentId] : []))))
      await appendTimeline(prismaQueryable(tx), actor, incidentId, {
        action: 'mail.unfrozen',
        message: `Mail unfrozen: ${streams.join(', ')}. ${reason}`,
        data: { streams, lifted: covering.map((f) => f.id) },
      });
    const frozen = await frozenStreams(tx);
    await emitWebhook(prismaQueryable(tx), {
      type: 'mail.unfrozen',
      key: `mail.unfrozen:${covering.map((f) => f.id).join(',')}:${now.toISOString()}`,
      data: { streams, reason, unfrozenAt: now, unfrozenBy: actorLabel(actor), stillFrozen: frozen },
    });
    return { lifted: covering.length, frozen };
  }, FREEZE_TX);
}
