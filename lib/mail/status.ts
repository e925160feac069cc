// What the Mail page and GET /api/v1/mail show: freeze state per stream, counts by stream and
// status (from the tally: no count over the outbox), the send rate of the last minute (an index
// range over the messages sent in it), and the held queue.
import 'server-only';
import libmime from 'libmime';
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

/** The sink page's page size. */
export const SINK_PAGE = 100;

/**
 * A page of what the sink received, newest first, with headers as people read them: encoded words
 * (RFC 2047, "=?UTF-8?B?…?=") decoded; the raw header stays in the database.
 */
export async function listSinkMessages(actor: Actor, page = 1, limit = SINK_PAGE) {
  assertCan(actor, 'console.read');
  const [messages, total] = await Promise.all([
    db.sinkMessage.findMany({
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      skip: (Math.max(1, Math.floor(page)) - 1) * limit,
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
  const decoded = (value: string | null) => {
    if (!value) return value;
    try {
      return libmime.decodeWords(value);
    } catch {
      return value; // a malformed encoded word is shown as received
    }
  };
  return {
    messages: messages.map((m) => ({
      ...m,
      subject: decoded(m.subject),
      headerTo: decoded(m.headerTo),
      headerCc: decoded(m.headerCc),
      headerBcc: decoded(m.headerBcc),
    })),
    total,
  };
}
