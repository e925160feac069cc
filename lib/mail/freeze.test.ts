import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { db, type Tx } from '@/lib/db';
import { Conflict, Forbidden } from '@/lib/errors';
import { freezeMail, frozenStreams, unfreezeMail } from '@/lib/mail/freeze';
import { MAIL_LOCK, streamLockKey } from '@/lib/mail/locks';
import { cancelHeld, enqueueMail, enqueueMany, enqueueRowsPg, releaseHeld } from '@/lib/mail/outbox';
import { staffActor } from '../../test/fixtures';
import { duplicateMessageIds, queue, sinkAndDispatcherForFile, sinkCount, statusCounts, until } from '../../test/mail';
import { sql } from '../../test/sql';

// A dispatcher sends all along, as in production: each test races its writes against it.
sinkAndDispatcherForFile({ concurrency: 5 });
// Every test starts with every stream sending.
afterEach(() =>
  sql(`UPDATE "MailFreeze" SET "liftedAt" = now(), "liftReason" = 'test cleanup' WHERE "liftedAt" IS NULL`),
);

describe('freeze during a dispatch of 2,000 messages', () => {
  it('stops the stream when the call returns, holds the rest, and release/cancel account for every message', async () => {
    const security = await staffActor('SECURITY');
    const campaignA = randomUUID();
    const campaignB = randomUUID();
    await queue('SECURITY', 1000, { campaignId: campaignA, prefix: 'a' });
    await queue('SECURITY', 1000, { campaignId: campaignB, prefix: 'b' });
    const stream = `"campaignId" IN ('${campaignA}', '${campaignB}')`;
    const ours = `"headerTo" LIKE '%@a.example' OR "headerTo" LIKE '%@b.example'`;

    await until(async () => (await sinkCount(ours)) >= 300, 60_000, 5);
    const { held } = await freezeMail(security, { streams: ['SECURITY'], reason: 'Leak suspected: stop everything' });
    const returnedAt = Date.now();
    expect(held).toBeGreaterThan(0);

    // Nothing of the frozen stream reaches the SMTP server after the call returned: the sink
    // records each message (receivedAt) before it answers 250, so every one accepted after the
    // return would carry a later time. (+1 ms: receivedAt is stored rounded to the millisecond.)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [{ atReturn, last }] = await sql<{ atReturn: number; last: Date }>(
      `SELECT count(*)::int AS "atReturn", max("receivedAt") AS last FROM "SinkMessage" WHERE ${ours}`,
    );
    expect(last.getTime()).toBeLessThanOrEqual(returnedAt + 1);
    const counts = await statusCounts(stream);
    expect(counts.SENT).toBe(atReturn);
    expect(counts.QUEUED ?? 0).toBe(0);
    expect((counts.SENDING ?? 0) + (counts.HELD ?? 0)).toBe(2000 - atReturn);
    await until(async () => ((await statusCounts(stream)).SENDING ?? 0) === 0, 10_000);
    expect((await statusCounts(stream)).HELD).toBe(2000 - atReturn);

    // New mail for a frozen stream is held too.
    expect(
      await enqueueMail({
        stream: 'SECURITY',
        to: 'late@example.com',
        subject: 's',
        text: 't',
        idempotencyKey: 'late:1',
      }),
    ).toMatchObject({ status: 'HELD' });

    // Release is refused into a frozen stream (nothing moves); unfreezing releases nothing by itself.
    expect(await releaseHeld(security, { stream: 'SECURITY' })).toMatchObject({
      count: 0,
      stillFrozen: 2000 - atReturn + 1,
    });
    await unfreezeMail(security, { streams: ['SECURITY'], reason: 'Template checked, leak ruled out' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sinkCount(ours)).toBe(atReturn);

    // The counts shown before confirming are the counts acted on.
    const heldA = (await statusCounts(`"campaignId" = '${campaignA}'`)).HELD ?? 0;
    const preview = await releaseHeld(security, { campaignId: campaignA, dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, count: heldA });
    const released = await releaseHeld(security, { campaignId: campaignA });
    expect(released.count).toBe(heldA);
    const cancelPreview = await cancelHeld(security, { campaignId: campaignB, dryRun: true });
    const cancelled = await cancelHeld(security, { campaignId: campaignB });
    expect(cancelled.count).toBe(cancelPreview.count);
    await cancelHeld(security, { stream: 'SECURITY' }); // the late one

    await until(async () => ((await statusCounts(`"campaignId" = '${campaignA}'`)).SENT ?? 0) === 1000, 60_000);
    const final = await statusCounts(`"idempotencyKey" LIKE 'a:%' OR "idempotencyKey" LIKE 'b:%'`);
    expect(final.SENT + final.CANCELLED).toBe(2000);
    expect(final.CANCELLED).toBe(cancelled.count);
    expect(await sinkCount(ours)).toBe(final.SENT);
    expect(await duplicateMessageIds()).toBe(0);
  }, 120_000);
});

/** True once a freeze waits on the BULK stream's lock (requested and not granted). */
const freezeIsWaiting = async () =>
  (
    await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2 AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [MAIL_LOCK, streamLockKey('BULK')],
    )
  )[0].n > 0;

type Enqueue = (key: string) => { run(tx: Tx | pg.Client): Promise<unknown> };
const message = (key: string) => ({
  to: `${key.replace(/:/g, '-')}@race.example`,
  subject: 'Reset your password',
  text: 't',
  idempotencyKey: key,
});

describe('an enqueue racing a freeze: the message ends HELD, never QUEUED in a frozen stream', () => {
  // The enqueue runs in its caller's transaction (as the reset fan-out's does); the freeze starts
  // after the enqueue decided "not frozen" and before it committed. Without the shared stream
  // lock the freeze would commit first and miss the uncommitted row, leaving it QUEUED.
  const paths: [string, Enqueue][] = [
    ['enqueueMail', (key) => ({ run: (tx) => enqueueMail({ stream: 'BULK', ...message(key) }, tx as Tx) })],
    ['enqueueMany', (key) => ({ run: (tx) => enqueueMany('BULK', [message(key)], tx as Tx) })],
    ['enqueueRowsPg', (key) => ({ run: (client) => enqueueRowsPg(client as pg.Client, 'BULK', [message(key)]) })],
  ];
  it.each(paths)('%s', async (name, path) => {
    const security = await staffActor('SECURITY');
    const key = `race:${name}:${randomUUID()}`;
    let freeze: Promise<unknown> | undefined;
    let freezeDone = false;
    const raceTheFreeze = async () => {
      freeze = freezeMail(security, { streams: ['BULK'], reason: 'racing an enqueue' }).finally(
        () => (freezeDone = true),
      );
      await until(async () => freezeDone || (await freezeIsWaiting()), 10_000, 5);
    };
    if (name === 'enqueueRowsPg') {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        await client.query('BEGIN');
        expect(await path(key).run(client)).toMatchObject({ queued: 1, status: 'QUEUED' });
        await raceTheFreeze();
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    } else {
      await db.$transaction(async (tx) => {
        expect(await path(key).run(tx)).toMatchObject({ status: 'QUEUED' });
        await raceTheFreeze();
      });
    }
    await freeze;
    // The dispatcher may have claimed the row between the enqueue's commit and the freeze's (it is
    // then SENDING, outside any SMTP transaction) and holds it when it reaches it. Without the
    // lock the row would stay QUEUED in the frozen stream, which no dispatcher claims.
    await until(async () => (await statusCounts(`"idempotencyKey" = '${key}'`)).HELD === 1, 10_000);
    expect(await sinkCount(`"headerTo" = '${message(key).to}'`)).toBe(0);
  });
});

describe('who may freeze', () => {
  it.each(['COMMS', 'EXECUTIVE'] as const)('%s cannot freeze, unfreeze, release or cancel', async (role) => {
    const actor = await staffActor(role);
    await expect(freezeMail(actor, { streams: 'ALL', reason: 'let me' })).rejects.toThrow(Forbidden);
    await expect(unfreezeMail(actor, { streams: 'ALL', reason: 'let me' })).rejects.toThrow(Forbidden);
    await expect(releaseHeld(actor, {})).rejects.toThrow(Forbidden);
    await expect(cancelHeld(actor, {})).rejects.toThrow(Forbidden);
  });

  it('freezing ALL then lifting one stream keeps the others frozen; lifting needs an active freeze and a reason', async () => {
    const admin = await staffActor('ADMIN');
    await freezeMail(admin, { streams: 'ALL', reason: 'Social account hijacked' });
    expect(await frozenStreams()).toEqual(['SECURITY', 'TRANSACTIONAL', 'BULK']);
    await expect(unfreezeMail(admin, { streams: ['SECURITY'], reason: '' })).rejects.toThrow(/reason/);
    await unfreezeMail(admin, { streams: ['SECURITY'], reason: 'Security mail is needed for the reset' });
    expect(await frozenStreams()).toEqual(['TRANSACTIONAL', 'BULK']);
    await expect(unfreezeMail(admin, { streams: ['SECURITY'], reason: 'again' })).rejects.toThrow(Conflict);
    const audit = await sql<{ action: string }>(
      `SELECT action FROM "AuditEvent" WHERE action LIKE 'mail.%' ORDER BY seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['mail.frozen', 'mail.unfrozen']));
  });
});

describe('what a freeze reports', () => {
  it('`held` counts mail a dispatcher had claimed but not started, which the freeze holds at once', async () => {
    const security = await staffActor('SECURITY');
    // Queued but not due for a day: out of reach of this file's running dispatcher.
    const prefix = `held-count-${Date.now()}`;
    await sql(
      `INSERT INTO "MailMessage" (id, stream, "to", subject, text, status, "idempotencyKey", "messageId", "nextAttemptAt")
       SELECT gen_random_uuid(), 'BULK', 'u' || g || '@held-count.example', 's', 't', 'QUEUED', $1 || ':' || g, '<' || $1 || g || '@firebreak.local>', now() + interval '1 day'
         FROM generate_series(1, 10) g`,
      [prefix],
    );
    const mine = `"idempotencyKey" LIKE '${prefix}:%'`;
    // A dispatcher's claim that no chunk has reached yet (no chunk transaction holds these rows).
    await sql(
      `UPDATE "MailMessage" SET status = 'SENDING', "claimToken" = 'claimed-elsewhere', "claimedAt" = now() WHERE id IN (SELECT id FROM "MailMessage" WHERE ${mine} LIMIT 4)`,
    );
    try {
      const { held } = await freezeMail(security, { streams: ['BULK'], reason: 'count check' });
      expect(await statusCounts(mine)).toEqual({ HELD: 10 });
      expect(held).toBeGreaterThanOrEqual(10); // every BULK message held now, these 10 among them
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "MailMessage" WHERE stream = 'BULK' AND status = 'HELD' AND "claimToken" IS NULL`,
      );
      expect(n).toBeGreaterThanOrEqual(10);
    } finally {
      await unfreezeMail(security, { streams: ['BULK'], reason: 'done' });
    }
  });
});
