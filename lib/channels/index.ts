// The exchange's official channels (DESIGN: OfficialChannel): what the public status page lists,
// and the one-person "this channel is compromised" that puts a red banner at the top of it within
// a second (like the freeze: speed first, no approval). Every change is a signed statement
// (ChannelStatement, Ed25519 like a notice), so the banner and the list can be verified offline;
// it is audited, and on the incident's timeline when it belongs to one.
import 'server-only';
import { recordAudit } from '@/lib/audit';
import { type Actor, actorLabel, actorStaffId } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { publicUrl } from '@/lib/config';
import { db, type Tx } from '@/lib/db';
import { prismaQueryable } from '@/lib/db/queryable';
import {
  asSignedChannelStatement,
  CHANNEL_PURPOSE,
  canonicalPayload,
  signChannelStatement,
} from '@/lib/disclosures/signing';
import { Conflict, NotConfigured, NotFound } from '@/lib/errors';
import { findIncidentIn } from '@/lib/incidents';
import { recordIncidentAction } from '@/lib/incidents/timeline';
import { isUuid, parseInput } from '@/lib/validation';
import { emitWebhook } from '@/lib/webhooks/emit';
import {
  type AddChannelInput,
  addChannelInput,
  channelLabel,
  type KIND_LABELS,
  type MarkChannelInput,
  markChannelInput,
} from './schema';

type ChannelRow = { id: string; name: string; kind: keyof typeof KIND_LABELS; handle: string; url: string | null };

export { channelLabel };

function statusPage() {
  const base = publicUrl();
  if (!base) throw new NotConfigured('Set FIREBREAK_PUBLIC_URL: a channel statement names the page that shows it.');
  return `${base}/status`;
}

/** Signs and records a statement of the channel's status (in the caller's transaction). */
async function state(
  tx: Tx,
  actor: Actor,
  channel: ChannelRow,
  change: { status: 'TRUSTED' | 'COMPROMISED' | 'RECOVERED'; since: Date; note: string | null; reason: string },
  incidentId: string | null,
) {
  const payload = {
    purpose: CHANNEL_PURPOSE,
    channel: channel.id,
    name: channel.name,
    kind: channel.kind,
    handle: channel.handle,
    url: channel.url,
    status: change.status,
    since: change.since.toISOString(),
    note: change.note,
    page: statusPage(),
  } as const;
  const signed = signChannelStatement(payload);
  await tx.channelStatement.create({
    data: {
      channelId: channel.id,
      status: change.status,
      reason: change.reason,
      incidentId,
      madeById: actorStaffId(actor),
      madeBy: actorLabel(actor),
      madeAt: change.since,
      payload: canonicalPayload(payload),
      signature: signed.signature,
      keyId: signed.kid,
    },
  });
  return signed;
}

export async function addChannel(actor: Actor, raw: AddChannelInput) {
  assertCan(actor, 'channel.mark');
  const input = parseInput(addChannelInput, raw);
  const id = await db.$transaction(async (tx) => {
    const taken = await tx.officialChannel.findUnique({
      where: { kind_handle: { kind: input.kind, handle: input.handle } },
    });
    if (taken) throw new Conflict(`${channelLabel(input)} is listed already.`, 'no_change');
    const since = new Date();
    const channel = await tx.officialChannel.create({
      data: {
        name: input.name,
        kind: input.kind,
        handle: input.handle,
        url: input.url,
        publicNote: input.publicNote,
        since,
      },
    });
    const signed = await state(
      tx,
      actor,
      channel,
      { status: 'TRUSTED', since, note: channel.publicNote, reason: 'listed as an official channel' },
      null,
    );
    await recordAudit(tx, actor, {
      action: 'channel.added',
      targetType: 'OfficialChannel',
      targetId: channel.id,
      data: { label: channelLabel(channel), url: channel.url, keyId: signed.kid },
    });
    return channel.id;
  });
  return channelView(id);
}

/** The incident a channel change belongs to when none is named: the only one in progress, if exactly one is. */
async function incidentFor(tx: Tx, named: string | undefined) {
  if (named) return findIncidentIn(tx, named);
  const open = await tx.incident.findMany({ where: { status: { in: ['DECLARED', 'CONTAINED'] } }, take: 2 });
  return open.length === 1 ? open[0] : null;
}

/**
 * Marks a channel COMPROMISED (or RECOVERED, or TRUSTED again): one SECURITY person, a reason;
 * signed, audited, on the incident's timeline. The public page shows it within a second
 * (lib/status/snapshot.ts: a trigger notifies every web process at commit).
 */
export async function markChannel(actor: Actor, id: string, raw: MarkChannelInput) {
  assertCan(actor, 'channel.mark');
  const input = parseInput(markChannelInput, raw);
  if (!isUuid(id)) throw new NotFound(`No channel ${id}.`);
  const changed = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "OfficialChannel" WHERE id = ${id}::uuid FOR UPDATE`;
    if (!row) throw new NotFound(`No channel ${id}.`);
    const channel = await tx.officialChannel.findUniqueOrThrow({ where: { id } });
    if (channel.status === input.status)
      throw new Conflict(`${channelLabel(channel)} is ${input.status.toLowerCase()} already.`, 'no_change');
    const incident = await incidentFor(tx, input.incident);
    const since = new Date();
    const note = input.publicNote ?? null;
    const signed = await state(
      tx,
      actor,
      channel,
      { status: input.status, since, note, reason: input.reason },
      incident?.id ?? null,
    );
    const updated = await tx.officialChannel.update({
      where: { id },
      data: { status: input.status, since, publicNote: note },
    });
    const entry = {
      action: 'channel.status_changed',
      message: `${channelLabel(channel)} marked ${input.status} — ${input.reason}`,
      data: { channelId: id, from: channel.status, to: input.status, reason: input.reason, keyId: signed.kid },
    } as const;
    if (incident) await recordIncidentAction(tx, actor, incident, entry);
    else await recordAudit(tx, actor, { ...entry, targetType: 'OfficialChannel', targetId: id });
    if (input.status === 'COMPROMISED')
      await emitWebhook(prismaQueryable(tx), {
        type: 'channel.compromised',
        key: `channel.compromised:${id}:${since.toISOString()}`,
        data: {
          channel: { name: channel.name, kind: channel.kind, handle: channel.handle, url: channel.url },
          since,
          publicNote: note,
          incident: incident?.reference ?? null,
          kid: signed.kid,
        },
      });
    return updated.id;
  });
  return channelView(changed);
}

const withLastStatement = { statements: { orderBy: { madeAt: 'desc' }, take: 1 } } as const;

async function channelView(id: string) {
  return viewOf(await db.officialChannel.findUniqueOrThrow({ where: { id }, include: withLastStatement }));
}

/** Every channel with its newest signed statement: the console's Channels page. */
export async function listChannels(actor: Actor) {
  assertCan(actor, 'console.read');
  const channels = await db.officialChannel.findMany({ orderBy: [{ createdAt: 'asc' }], include: withLastStatement });
  return channels.map(viewOf);
}

function viewOf({
  statements,
  ...channel
}: Awaited<
  ReturnType<typeof db.officialChannel.findUniqueOrThrow<{ where: { id: string }; include: typeof withLastStatement }>>
>) {
  return {
    ...channel,
    label: channelLabel(channel),
    lastChange: statements[0]
      ? {
          by: statements[0].madeBy,
          at: statements[0].madeAt,
          reason: statements[0].reason,
          signed: asSignedChannelStatement(statements[0]),
        }
      : null,
  };
}

/** The channels a notice names as ours (every one not compromised now), as "X: @exchange". */
export async function officialChannelLabels(client: Tx | typeof db = db) {
  const channels = await client.officialChannel.findMany({
    where: { status: { not: 'COMPROMISED' } },
    orderBy: { createdAt: 'asc' },
    select: { kind: true, handle: true },
  });
  return channels.map(channelLabel);
}
