// The recipient guard inside nodemailer (a `compile` plugin): whatever code builds a message, it
// is refused before any SMTP command for it unless it goes to exactly one recipient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport, type OutboundMail, RecipientGuardError } from '@/lib/mail/transport';
import { sinkCount, startSink, until } from '../../test/mail';
import { sql } from '../../test/sql';

let sink: Awaited<ReturnType<typeof startSink>>;
let transport: ReturnType<typeof createSmtpTransport>;
beforeAll(async () => {
  sink = await startSink();
  transport = createSmtpTransport({ smtpUrl: `smtp://127.0.0.1:${sink.port}`, concurrency: 1 });
});
afterAll(async () => {
  transport?.close();
  await sink?.stop();
});

const from = 'security@firebreak.test';
const base = { from, subject: 'Reset your password', text: 'hello' };

describe('the transport refuses every message that is not to exactly one recipient', () => {
  it.each([
    [
      'a Cc header',
      { to: 'one@guard.example', cc: 'two@guard.example', envelope: { from, to: ['one@guard.example'] } },
    ],
    [
      'a Bcc header',
      { to: 'one@guard.example', bcc: 'two@guard.example', envelope: { from, to: ['one@guard.example'] } },
    ],
    [
      'two addresses in To',
      { to: 'one@guard.example, two@guard.example', envelope: { from, to: ['one@guard.example, two@guard.example'] } },
    ],
    [
      'a group in To',
      { to: 'list: one@guard.example, two@guard.example;', envelope: { from, to: ['one@guard.example'] } },
    ],
    [
      'two envelope recipients',
      { to: 'one@guard.example', envelope: { from, to: ['one@guard.example', 'two@guard.example'] } },
    ],
    ['an envelope recipient other than To', { to: 'one@guard.example', envelope: { from, to: ['two@guard.example'] } }],
    ['no explicit envelope (nodemailer would derive it)', { to: 'one@guard.example' }],
  ])('%s', async (_, message) => {
    await expect(transport.sendMail({ ...base, ...message })).rejects.toThrow(RecipientGuardError);
    expect(await sinkCount(`"headerTo" LIKE '%guard.example%' OR 'two@guard.example' = ANY ("rcptTo")`)).toBe(0);
  });

  it('sends a message to one bare address, with that one RCPT', async () => {
    const info = await transport.sendMail({
      ...base,
      to: 'Alone@Guard-Ok.example',
      envelope: { from, to: ['alone@guard-ok.example'] },
    });
    expect(info.accepted).toEqual(['alone@guard-ok.example']);
    expect(await sinkCount(`"rcptTo" = ARRAY['alone@guard-ok.example']`)).toBe(1);
  });
});

describe('endAfter: the server cannot accept a message before its attempt mark is committed', () => {
  const one = (to: string, endAfter?: Promise<boolean>): OutboundMail => ({
    ...base,
    to,
    envelope: { from, to: [to] },
    endAfter,
  });

  it('the terminator waits for the promise: nothing is recorded until it is true', async () => {
    let allow!: (ok: boolean) => void;
    const endAfter = new Promise<boolean>((resolve) => (allow = resolve));
    const sending = transport.sendMail(one('held@gate.example', endAfter));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await sinkCount(`"rcptTo" = ARRAY['held@gate.example']`)).toBe(0);
    allow(true);
    expect((await sending).accepted).toEqual(['held@gate.example']);
    expect(await sinkCount(`"rcptTo" = ARRAY['held@gate.example']`)).toBe(1);
  });

  it('false aborts the message before its terminator; the server discards it and the next message on the pool is whole', async () => {
    await expect(transport.sendMail(one('refused@gate.example', Promise.resolve(false)))).rejects.toThrow(
      /attempt mark/,
    );
    let late!: (ok: boolean) => void;
    const lateRefusal = transport.sendMail(
      one('late@gate.example', new Promise<boolean>((resolve) => (late = resolve))),
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // inside DATA by now
    late(false);
    await expect(lateRefusal).rejects.toThrow(/attempt mark/);
    const after = await transport.sendMail(one('after@gate.example'));
    expect(after.accepted).toEqual(['after@gate.example']);
    await until(async () => (await sinkCount(`"rcptTo" = ARRAY['after@gate.example']`)) === 1, 5000);
    expect(await sinkCount(`"rcptTo" && ARRAY['refused@gate.example', 'late@gate.example']`)).toBe(0);
    const [received] = await sql<{ subject: string; headerTo: string }>(
      `SELECT subject, "headerTo" FROM "SinkMessage" WHERE 'after@gate.example' = ANY ("rcptTo")`,
    );
    expect(received).toMatchObject({ subject: 'Reset your password', headerTo: 'after@gate.example' });
  });
});
