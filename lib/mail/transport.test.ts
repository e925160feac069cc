// The recipient guard inside nodemailer (a `compile` plugin): whatever code builds a message, it
// is refused before any SMTP command for it unless it goes to exactly one recipient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport, RecipientGuardError } from '@/lib/mail/transport';
import { sinkCount, startSink } from '../../test/mail';

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
    ['a Cc header', { to: 'one@guard.example', cc: 'two@guard.example', envelope: { from, to: ['one@guard.example'] } }],
    ['a Bcc header', { to: 'one@guard.example', bcc: 'two@guard.example', envelope: { from, to: ['one@guard.example'] } }],
    ['two addresses in To', { to: 'one@guard.example, two@guard.example', envelope: { from, to: ['one@guard.example, two@guard.example'] } }],
    ['a group in To', { to: 'list: one@guard.example, two@guard.example;', envelope: { from, to: ['one@guard.example'] } }],
    ['two envelope recipients', { to: 'one@guard.example', envelope: { from, to: ['one@guard.example', 'two@guard.example'] } }],
    ['an envelope recipient other than To', { to: 'one@guard.example', envelope: { from, to: ['two@guard.example'] } }],
    ['no explicit envelope (nodemailer would derive it)', { to: 'one@guard.example' }],
  ])('%s', async (_, message) => {
    await expect(transport.sendMail({ ...base, ...message })).rejects.toThrow(RecipientGuardError);
    expect(await sinkCount(`"headerTo" LIKE '%guard.example%' OR 'two@guard.example' = ANY ("rcptTo")`)).toBe(0);
  });

  it('sends a message to one bare address, with that one RCPT', async () => {
    const info = await transport.sendMail({ ...base, to: 'Alone@Guard-Ok.example', envelope: { from, to: ['alone@guard-ok.example'] } });
    expect(info.accepted).toEqual(['alone@guard-ok.example']);
    expect(await sinkCount(`"rcptTo" = ARRAY['alone@guard-ok.example']`)).toBe(1);
  });
});
