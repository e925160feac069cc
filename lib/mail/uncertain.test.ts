// Mail a lost worker left with an unknown outcome: decided one message at a time, or reconciled
// against the relay's own log of what it accepted — never by whole streams or campaigns only.
import { beforeEach, describe, expect, it } from 'vitest';
import { freezeMail, unfreezeMail } from '@/lib/mail/freeze';
import { cancelHeld, listHeld, reconcileUncertain, releaseHeld } from '@/lib/mail/outbox';
import { staffActor } from '../../test/fixtures';
import { queue } from '../../test/mail';
import { sql } from '../../test/sql';

/** `count` messages held as a lost worker's recovery holds them (OUTCOME_UNKNOWN), plus one held by a freeze. */
async function uncertain(count: number) {
  const prefix = await queue('SECURITY', count + 1);
  const rows = await sql<{ id: string; messageId: string }>(
    `SELECT id, "messageId" FROM "MailMessage" WHERE "idempotencyKey" LIKE $1 ORDER BY "idempotencyKey"`,
    [`${prefix}:%`],
  );
  const [frozen, ...unknown] = rows;
  await sql(
    `UPDATE "MailMessage" SET status = 'HELD', "holdReason" = 'OUTCOME_UNKNOWN', "lastError" = 'outcome unknown' WHERE id = ANY ($1::uuid[])`,
    [unknown.map((r) => r.id)],
  );
  await sql(`UPDATE "MailMessage" SET status = 'HELD' WHERE id = $1`, [frozen.id]);
  return { prefix, unknown, frozen };
}

// Each test starts with no held mail (what an earlier test left is settled).
beforeEach(() => sql(`UPDATE "MailMessage" SET status = 'CANCELLED' WHERE status = 'HELD'`));

const statusOf = async (ids: string[]) =>
  (
    await sql<{ status: string }>(
      `SELECT status FROM "MailMessage" WHERE id = ANY ($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
      [ids],
    )
  ).map((r) => r.status);

describe('uncertain mail', () => {
  it('is listed with its reason, apart from mail held by a freeze (whose reason the database sets)', async () => {
    const { unknown, frozen } = await uncertain(3);
    const admin = await staffActor('ADMIN');
    const listed = await listHeld(admin, { holdReason: 'OUTCOME_UNKNOWN' });
    expect(listed.messages.map((m) => m.id).sort()).toEqual(unknown.map((r) => r.id).sort());
    expect(listed.messages.every((m) => m.holdReason === 'OUTCOME_UNKNOWN')).toBe(true);
    expect((await listHeld(admin, { holdReason: 'FROZEN' })).messages.map((m) => m.id)).toContain(frozen.id);
  });

  it('is released or cancelled message by message; nothing else moves', async () => {
    const { unknown, frozen } = await uncertain(4);
    const security = await staffActor('SECURITY');
    expect(await releaseHeld(security, { ids: [unknown[0].id] })).toMatchObject({ count: 1 });
    expect(await cancelHeld(security, { ids: [unknown[1].id, unknown[2].id] })).toMatchObject({ count: 2 });
    expect(await statusOf([...unknown.map((r) => r.id), frozen.id])).toEqual([
      'QUEUED',
      'CANCELLED',
      'CANCELLED',
      'HELD',
      'HELD',
    ]);
    const [reason] = await sql<{ holdReason: string | null }>(`SELECT "holdReason" FROM "MailMessage" WHERE id = $1`, [
      unknown[0].id,
    ]);
    expect(reason.holdReason).toBeNull(); // leaving HELD clears it
  });

  it("reconciled against the relay's log: listed ones SENT; the others stay held unless released, and never into a frozen stream", async () => {
    const { unknown, frozen } = await uncertain(4);
    const security = await staffActor('SECURITY');
    const log = [
      `Nov 25 10:00:01 relay postfix/cleanup[1]: 4F1A2: message-id=${unknown[0].messageId}`,
      `Nov 25 10:00:01 relay postfix/smtp[2]: 4F1A2: to=<someone@example.com>, status=sent (250 2.0.0 Ok)`,
      unknown[1].messageId.replace(/^<|>$/g, '').toUpperCase(), // a bare list, any case
    ].join('\n');
    expect(await reconcileUncertain(security, { log })).toMatchObject({ sent: 2, released: 0, stillHeld: 2 });
    expect(await statusOf(unknown.map((r) => r.id))).toEqual(['SENT', 'SENT', 'HELD', 'HELD']);

    await freezeMail(security, { streams: ['SECURITY'], reason: 'test' });
    try {
      expect(await reconcileUncertain(security, { log, releaseUnlisted: true })).toMatchObject({
        sent: 0,
        released: 0,
        stillHeld: 2,
      });
    } finally {
      await unfreezeMail(security, { streams: ['SECURITY'], reason: 'test' });
    }
    expect(await reconcileUncertain(security, { log, releaseUnlisted: true })).toMatchObject({
      sent: 0,
      released: 2,
      stillHeld: 0,
    });
    expect(await statusOf([...unknown.map((r) => r.id), frozen.id])).toEqual([
      'SENT',
      'SENT',
      'QUEUED',
      'QUEUED',
      'HELD',
    ]);
    const events = await sql<{ data: { sent: number; released: number } }>(
      `SELECT data FROM "AuditEvent" WHERE action = 'mail.reconciled' ORDER BY seq`,
    );
    expect(events.map((e) => [e.data.sent, e.data.released])).toEqual([
      [2, 0],
      [0, 0],
      [0, 2],
    ]);
  });

  it('COMMS may not release, cancel or reconcile', async () => {
    const { unknown } = await uncertain(1);
    const comms = await staffActor('COMMS');
    await expect(releaseHeld(comms, { ids: [unknown[0].id] })).rejects.toMatchObject({ status: 403 });
    await expect(reconcileUncertain(comms, { log: unknown[0].messageId })).rejects.toMatchObject({ status: 403 });
    expect(await statusOf([unknown[0].id])).toEqual(['HELD']);
  });
});

describe('a freeze while a lost worker still holds claimed mail', () => {
  it('leaves what a slot names to recovery: the accepted message is SENT, not released again; the rest is held', async () => {
    const { createDispatcher } = await import('@/lib/mail/dispatcher');
    await sql(`UPDATE "MailMessage" SET status = 'CANCELLED' WHERE status = 'QUEUED'`); // what earlier tests released
    const prefix = await queue('SECURITY', 3);
    const [accepted, inFlight, untouched] = await sql<{ id: string }>(
      `SELECT id FROM "MailMessage" WHERE "idempotencyKey" LIKE $1 ORDER BY "idempotencyKey"`,
      [`${prefix}:%`],
    );
    // A worker died mid-chunk: its claim, its slot row (one accepted, one in SMTP), its transaction gone.
    await sql(
      `UPDATE "MailMessage" SET status = 'SENDING', "claimToken" = 'lost-worker', "claimedAt" = now() - interval '10 minutes' WHERE id = ANY ($1::uuid[])`,
      [[accepted.id, inFlight.id, untouched.id]],
    );
    await sql(
      `INSERT INTO "MailSlot" (id, "claimToken", "inFlight", accepted, responses) VALUES (gen_random_uuid(), 'lost-worker', $1, ARRAY[$2::uuid], ARRAY['250 queued'])`,
      [inFlight.id, accepted.id],
    );
    const security = await staffActor('SECURITY');
    const { held } = await freezeMail(security, { streams: ['SECURITY'], reason: 'freeze before recovery' });
    try {
      expect(held).toBe(1); // only the message no slot names
      expect(await statusOf([accepted.id, inFlight.id, untouched.id])).toEqual(['SENDING', 'SENDING', 'HELD']);
      // Recovery, with a delivery check that says the in-flight one never arrived: in a frozen
      // stream it is held (not queued, which lifting the freeze would send without a release).
      const dispatcher = createDispatcher({
        databaseUrl: process.env.DATABASE_URL!,
        smtpUrl: 'smtp://127.0.0.1:9',
        from: 'security@firebreak.test',
        leaseMs: 1000,
        deliveryCheck: async () => 'not_delivered',
      });
      try {
        expect(await dispatcher.recover()).toBe(2);
      } finally {
        await dispatcher.stop();
      }
      expect(await statusOf([accepted.id, inFlight.id, untouched.id])).toEqual(['SENT', 'HELD', 'HELD']);
      expect((await sql(`SELECT 1 FROM "MailSlot" WHERE "claimToken" = 'lost-worker'`)).length).toBe(0);
    } finally {
      await unfreezeMail(security, { streams: ['SECURITY'], reason: 'test done' });
    }
    // Releasing the stream's held mail cannot send the accepted message again.
    expect(await releaseHeld(security, { stream: 'SECURITY' })).toMatchObject({ count: 2 });
    expect(await statusOf([accepted.id, inFlight.id, untouched.id])).toEqual(['SENT', 'QUEUED', 'QUEUED']);
  });
});
