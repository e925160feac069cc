// What the Mail page and GET /api/v1/mail show: freeze state per stream, counts by stream and
// status (from the tally: no count over the outbox), the send rate of the last minute (an index
// range over the messages sent in it), and the held queue.
import 'server-only';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { db } from '@/lib/db';
import { MAIL_STATUSES as STATUSES } from '@/lib/enums';
import { STREAMS, type Stream } from './schema';
import { readTally, tallied } from './tally';

export async function mailOverview(actor: Actor) {
  assertCan(actor, 'console.read');
  const [tally, freezes, sentLastMinute] = await Promise.all([
    readTally(),
    db.mailFreeze.findMany({ where: { liftedAt: null }, orderBy: { frozenAt: 'asc' } }),
    db.mailMessage.count({ where: { status: 'SENT', sentAt: { gte: new Date(Date.now() - 60_000) } } }),
  ]);
  const streams = STREAMS.map((stream) => {
    const counts = Object.fromEntries(
      STATUSES.map((status) => [status, tallied(tally, (row) => row.stream === stream && row.status === status)]),
    ) as Record<(typeof STATUSES)[number], number>;
    const freeze = freezes.find((f) => f.streams.includes(stream as Stream)) ?? null;
    return {
      stream,
      counts,
      frozen: freeze && { id: freeze.id, reason: freeze.reason, frozenBy: freeze.frozenBy, frozenAt: freeze.frozenAt },
    };
  });
  return { streams, sendRatePerSecond: Math.round((sentLastMinute / 60) * 10) / 10, sentLastMinute };
}

export async function listSinkMessages(actor: Actor, limit = 200) {
  assertCan(actor, 'console.read');
  const [messages, total] = await Promise.all([
    db.sinkMessage.findMany({
      orderBy: { receivedAt: 'desc' },
      take: limit,
      select: {
        id: true,
        receivedAt: true,
        mailFrom: true,
        rcptTo: true,
        headerTo: true,
        headerCc: true,
        headerBcc: true,
        subject: true,
        messageId: true,
      },
    }),
    db.sinkMessage.count(),
  ]);
  return { messages, total };
}
