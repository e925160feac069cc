import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { Invalid } from '@/lib/errors';
import { frozenStreams, unfreezeMail } from '@/lib/mail/freeze';
import { enqueueMail, enqueueMany } from '@/lib/mail/outbox';
import { checkSingleRecipient } from '@/lib/mail/recipient';
import { staffActor } from '../../test/fixtures';
import { duplicateMessageIds, queue, sinkAndDispatcherForFile, sinkCount, statusCounts, until } from '../../test/mail';
import { sql } from '../../test/sql';

const running = sinkAndDispatcherForFile();
// Every test starts with every stream sending.
afterEach(() =>
  sql(`UPDATE "MailFreeze" SET "liftedAt" = now(), "liftReason" = 'test cleanup' WHERE "liftedAt" IS NULL`),
);

describe('the single-recipient rule', () => {
  it.each([
    ['a@example.com, b@example.com'],
    ['a@example.com; b@example.com'],
    ['"Doe, John" <j@example.com>'],
    ['undisclosed-recipients: a@example.com, b@example.com;'],
    ['a@example.com\r\nBcc: b@example.com'],
    [''],
  ])('refuses %j', (to) => {
    expect(checkSingleRecipient(to).ok).toBe(false);
  });
  it('accepts one bare address', () => {
    expect(checkSingleRecipient('Alice@Example.com')).toEqual({ ok: true, address: 'alice@example.com' });
  });
});

describe('dispatch to a real SMTP sink', () => {
  it('delivers 1,000 queued messages once each, with exactly one RCPT equal to To and no Cc/Bcc', async () => {
    const sentBefore = running.dispatcher.sent();
    const prefix = await queue('TRANSACTIONAL', 1000);
    await until(async () => (await statusCounts(`"idempotencyKey" LIKE '${prefix}:%'`)).SENT === 1000);
    expect(running.dispatcher.sent() - sentBefore).toBe(1000); // what the worker's heartbeat reports as mailSent
    const received = await sql<{
      rcptTo: string[];
      headerTo: string;
      headerCc: string | null;
      headerBcc: string | null;
      messageId: string;
    }>(
      `SELECT "rcptTo", "headerTo", "headerCc", "headerBcc", "messageId" FROM "SinkMessage" WHERE "headerTo" LIKE $1`,
      [`%@${prefix}.example`],
    );
    expect(received).toHaveLength(1000);
    for (const message of received) {
      expect(message.rcptTo).toHaveLength(1);
      expect(message.headerTo).toBe(message.rcptTo[0]);
      expect(message.headerCc).toBeNull();
      expect(message.headerBcc).toBeNull();
    }
    expect(await duplicateMessageIds()).toBe(0);
    const rows = await sql<{ messageId: string }>(
      `SELECT "messageId" FROM "MailMessage" WHERE "idempotencyKey" LIKE $1`,
      [`${prefix}:%`],
    );
    expect(new Set(received.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => r.messageId)));
  });

  it('the same idempotency key is queued once', async () => {
    const message = {
      stream: 'TRANSACTIONAL',
      to: 'once@example.com',
      subject: 's',
      text: 't',
      idempotencyKey: 'once:1',
    } as const;
    expect(await enqueueMail(message)).toMatchObject({ queued: true });
    expect(await enqueueMail(message)).toMatchObject({ queued: false });
    await until(async () => (await statusCounts(`"idempotencyKey" = 'once:1'`)).SENT === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await sinkCount(`"headerTo" = 'once@example.com'`)).toBe(1);
  });

  it('enqueueing a two-recipient message is refused, freezes the stream, and is audited', async () => {
    await expect(
      enqueueMail({
        stream: 'BULK',
        to: 'a@example.com, b@example.com',
        subject: 's',
        text: 't',
        idempotencyKey: 'two:1',
      }),
    ).rejects.toMatchObject({ code: 'multiple_recipients' });
    await expect(
      enqueueMany('BULK', [
        { to: 'ok@example.com', subject: 's', text: 't', idempotencyKey: 'batch:1' },
        { to: 'x@example.com;y@example.com', subject: 's', text: 't', idempotencyKey: 'batch:2' },
      ]),
    ).rejects.toThrow(Invalid);
    expect(await db.mailMessage.count({ where: { idempotencyKey: { in: ['two:1', 'batch:1', 'batch:2'] } } })).toBe(0);
    expect(await frozenStreams()).toContain('BULK');
    expect(await db.auditEvent.count({ where: { action: 'mail.recipient_guard_refused', targetId: 'BULK' } })).toBe(2);
    expect(await db.auditEvent.findFirst({ where: { action: 'mail.frozen' }, orderBy: { seq: 'desc' } })).toMatchObject(
      { actorLabel: 'recipient-guard' },
    );
    await unfreezeMail(await staffActor('SECURITY'), { streams: ['BULK'], reason: 'test cleanup' });
  });

  it('a two-recipient row that got past the outbox is refused at the SMTP layer, and its stream frozen', async () => {
    // Simulate a bug or a hand-written INSERT that bypasses lib/mail and the database CHECK. The
    // dispatcher passes the row as it is; the transport's guard (lib/mail/transport.ts) refuses it.
    const constraint = (
      await sql<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'MailMessage_single_recipient'`,
      )
    )[0].def;
    await sql(`ALTER TABLE "MailMessage" DROP CONSTRAINT "MailMessage_single_recipient"`);
    try {
      await sql(
        `INSERT INTO "MailMessage" (id, stream, "to", subject, text, "idempotencyKey", "messageId")
         VALUES (gen_random_uuid(), 'SECURITY', 'victim1@example.com, victim2@example.com', 'leak', 'leak', 'bypass:1', '<bypass-1@firebreak.mail>')`,
      );
      await until(async () => (await statusCounts(`"idempotencyKey" = 'bypass:1'`)).FAILED === 1);
      const [row] = await sql<{ lastError: string }>(
        `SELECT "lastError" FROM "MailMessage" WHERE "idempotencyKey" = 'bypass:1'`,
      );
      expect(row.lastError).toMatch(/recipient guard/);
      expect(
        await sinkCount(`"messageId" = '<bypass-1@firebreak.mail>' OR 'victim2@example.com' = ANY ("rcptTo")`),
      ).toBe(0);
      expect(await frozenStreams()).toContain('SECURITY');
      const refused = await db.auditEvent.findFirst({
        where: { action: 'mail.recipient_guard_refused', targetId: 'SECURITY' },
      });
      expect(JSON.stringify(refused?.data)).toContain('2 recipients');
    } finally {
      await sql(`DELETE FROM "MailMessage" WHERE "idempotencyKey" = 'bypass:1'`);
      await sql(`ALTER TABLE "MailMessage" ADD CONSTRAINT "MailMessage_single_recipient" ${constraint}`);
    }
  });
});
