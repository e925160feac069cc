// Races between the people who run mail during an incident: each race runs 50 rounds and checks
// the end state of every round. No dispatcher runs here: nothing leaves the outbox.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Invalid } from '@/lib/errors';
import { freezeMail, frozenStreams, unfreezeMail } from '@/lib/mail/freeze';
import { MAIL_LOCK, streamLockKey } from '@/lib/mail/locks';
import { cancelHeld, releaseHeld } from '@/lib/mail/outbox';
import { staffActor } from '../../test/fixtures';
import { statusCounts } from '../../test/mail';
import { databaseFingerprint, sql } from '../../test/sql';

const ROUNDS = 50;
const liftEveryFreeze = () =>
  sql(`UPDATE "MailFreeze" SET "liftedAt" = now(), "liftReason" = 'test cleanup' WHERE "liftedAt" IS NULL`);
afterEach(liftEveryFreeze);

/** `count` HELD messages of a stream, as a freeze leaves them. */
async function holdMessages(stream: string, count: number) {
  const batch = randomUUID();
  await sql(
    `INSERT INTO "MailMessage" (id, stream, "to", subject, text, status, "idempotencyKey", "messageId")
     SELECT gen_random_uuid(), $1::"MailStream", 'u' || g || '@held.example', 's', 't', 'HELD', $2 || ':' || g, '<' || $2 || '-' || g || '@test>'
       FROM generate_series(1, $3) AS g`,
    [stream, batch, count],
  );
  return batch;
}

describe('mail races', () => {
  it(`releasing held mail while the stream is being frozen never leaves QUEUED mail in a frozen stream (${ROUNDS} rounds)`, async () => {
    const security = await staffActor('SECURITY');
    for (let round = 0; round < ROUNDS; round++) {
      const batch = await holdMessages('BULK', 200);
      const [, freeze] = await Promise.all([
        releaseHeld(security, { stream: 'BULK' }),
        freezeMail(security, { streams: ['BULK'], reason: `round ${round}` }),
      ]);
      const counts = await statusCounts(`"idempotencyKey" LIKE '${batch}:%'`);
      expect(await frozenStreams(), `round ${round}`).toEqual(['BULK']);
      expect(counts, `round ${round}: freeze held ${freeze.held}`).toEqual({ HELD: 200 });
      await sql(`UPDATE "MailMessage" SET status = 'CANCELLED' WHERE "idempotencyKey" LIKE $1`, [`${batch}:%`]);
      await liftEveryFreeze();
    }
  }, 120_000);

  it(`two people lifting different streams of one freeze at once both succeed, and both streams end unfrozen (${ROUNDS} rounds)`, async () => {
    const [alice, bob] = [await staffActor('SECURITY'), await staffActor('SECURITY')];
    for (let round = 0; round < ROUNDS; round++) {
      await freezeMail(alice, { streams: ['SECURITY', 'BULK'], reason: `round ${round}` });
      const results = await Promise.allSettled([
        unfreezeMail(alice, { streams: ['SECURITY'], reason: 'reset mail must go out' }),
        unfreezeMail(bob, { streams: ['BULK'], reason: 'newsletter checked' }),
      ]);
      expect(
        results.map((r) => r.status),
        `round ${round}`,
      ).toEqual(['fulfilled', 'fulfilled']);
      expect(await frozenStreams(), `round ${round}`).toEqual([]);
    }
  }, 120_000);
});

describe('held mail behind a lock', () => {
  /** Runs `hold` in a transaction on its own connection and commits it `ms` later. */
  async function holdFor(ms: number, hold: string, values: unknown[]) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query('BEGIN');
    await client.query(hold, values);
    const done = (async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await client.query('COMMIT');
      await client.end();
    })();
    return { done }; // not the promise itself: awaiting this call must not wait for the commit
  }

  // The scale-out test's release answered 500 on a loaded machine: the release ran in Prisma's
  // default 5 s transaction, shorter than a freeze may take (it waits out a send in flight) and
  // than changing a million held reset mails takes.
  it('a release waiting 6 s behind a freeze in flight, and a cancel waiting 6 s behind a row lock, both complete', async () => {
    const security = await staffActor('SECURITY');
    const released = await holdMessages('BULK', 3);
    const freezeInFlight = await holdFor(6_000, 'SELECT pg_advisory_xact_lock($1::int, $2::int)', [
      MAIL_LOCK,
      streamLockKey('BULK'),
    ]);
    const started = Date.now();
    expect(await releaseHeld(security, { stream: 'BULK' })).toMatchObject({ count: 3 });
    expect(Date.now() - started).toBeGreaterThan(5_000);
    await freezeInFlight.done;
    expect(await statusCounts(`"idempotencyKey" LIKE '${released}:%'`)).toEqual({ QUEUED: 3 });

    const cancelled = await holdMessages('SECURITY', 3);
    const writerInFlight = await holdFor(6_000, `SELECT id FROM "MailMessage" WHERE "idempotencyKey" = $1 FOR UPDATE`, [
      `${cancelled}:1`,
    ]);
    const again = Date.now();
    expect(await cancelHeld(security, { stream: 'SECURITY' })).toMatchObject({ count: 3 });
    expect(Date.now() - again).toBeGreaterThan(5_000);
    await writerInFlight.done;
    expect(await statusCounts(`"idempotencyKey" LIKE '${cancelled}:%'`)).toEqual({ CANCELLED: 3 });
  }, 30_000);
});

describe('cancelling held mail', () => {
  it('an empty filter is refused (it would cancel every held reset link); a dry run counts; all: true cancels everything', async () => {
    const security = await staffActor('SECURITY');
    const a = await holdMessages('SECURITY', 3);
    const b = await holdMessages('BULK', 2);
    const before = await databaseFingerprint();
    await expect(cancelHeld(security, {})).rejects.toSatisfy(
      (e) => e instanceof Invalid && e.code === 'filter_required',
    );
    expect(await databaseFingerprint()).toEqual(before);
    expect(await cancelHeld(security, { dryRun: true })).toMatchObject({
      dryRun: true,
      count: 5,
      byStream: { SECURITY: 3, BULK: 2 },
    });
    expect(await cancelHeld(security, { stream: 'BULK' })).toMatchObject({ count: 2 });
    expect(await cancelHeld(security, { all: true })).toMatchObject({ count: 3 });
    expect(await statusCounts(`"idempotencyKey" LIKE '${a}:%' OR "idempotencyKey" LIKE '${b}:%'`)).toEqual({
      CANCELLED: 5,
    });
  });
});
