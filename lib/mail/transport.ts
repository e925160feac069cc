// The SMTP transport every outbound message goes through: nodemailer's pooled SMTP with the
// recipient guard installed as a `compile` plugin, so the single-recipient rule (DESIGN invariant 1)
// is checked inside nodemailer itself, on the message as it will be sent — whatever code built it.
// A message may also carry `endAfter`: its DATA terminator (the "." after which the server may
// accept it) is not written until that promise settles, and if it settles false the send is
// aborted before the terminator, the connection closed, and the server discards the message. The
// dispatcher commits its attempt mark there, overlapped with MAIL FROM / RCPT TO / DATA.
import 'server-only';
import { PassThrough } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { checkSingleRecipient } from './recipient';

/** A message refused by the guard before any SMTP command was sent for it. */
export class RecipientGuardError extends Error {}

/** A message whose `endAfter` settled false: aborted before its terminator, so never accepted. */
export class EndRefusedError extends Error {}

export type OutboundMail = Mail.Options & {
  /** The message may be accepted (its terminator written) only once this is true. Never rejects. */
  endAfter?: Promise<boolean>;
};

export function createSmtpTransport(options: {
  smtpUrl: string;
  concurrency: number;
  ratePerSecond?: number;
}): Transporter {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.concurrency,
    maxMessages: Infinity,
    socketTimeout: 30_000,
    ...(options.ratePerSecond ? { rateDelta: 1000, rateLimit: options.ratePerSecond } : {}),
  } satisfies SMTPPool.Options);
  // Exactly one envelope RCPT, equal to the To header, which is one bare address; no Cc, no Bcc.
  transport.use('compile', (mail, done) => {
    const data = mail.data as { to?: unknown; cc?: unknown; bcc?: unknown; envelope?: { to?: unknown } };
    const envelopeTo = Array.isArray(data.envelope?.to) ? data.envelope.to : [];
    const check = checkSingleRecipient(data.to);
    if (data.cc || data.bcc) return done(new RecipientGuardError('a Cc or Bcc header was set'));
    if (!check.ok) return done(new RecipientGuardError(check.reason));
    const rcpt = envelopeTo.length === 1 ? checkSingleRecipient(envelopeTo[0]) : null;
    if (!rcpt?.ok || rcpt.address !== check.address) {
      return done(
        new RecipientGuardError(
          `envelope recipients ${JSON.stringify(envelopeTo).slice(0, 300)} differ from To ${check.address}`,
        ),
      );
    }
    done();
  });
  transport.use('stream', (mail, done) => {
    const endAfter = (mail.data as OutboundMail).endAfter;
    // A process function, not a transform: a pipeline stage costs an error object per message.
    if (endAfter) {
      mail.message.processFunc((input) => {
        const output = new PassThrough();
        input.once('error', (error) => output.destroy(error));
        input.once(
          'end',
          () =>
            void endAfter.then((ok) =>
              ok
                ? output.end()
                : output.destroy(new EndRefusedError('the attempt mark was not committed; not sending')),
            ),
        );
        input.pipe(output, { end: false });
        return output;
      });
    }
    done();
  });
  return transport;
}
