// "Get notices by email" on the public status page: double opt-in, one-click unsubscribe.
// - Asking sends one confirmation mail (TRANSACTIONAL stream, one recipient) with a signed link
//   that expires; at most one per address per cooldown, and the answer is the same whether the
//   address was new, pending, confirmed or cooling down: it reveals nothing about who subscribed.
// - The link confirms once: it carries a nonce whose hash the row keeps until it is used.
// - Every notice mail carries a signed unsubscribe link, as List-Unsubscribe with
//   List-Unsubscribe-Post (RFC 8058): one POST unsubscribes, no login, no second step.
// - Publishing a revision mails every confirmed subscriber once (lib/disclosures/notify.ts).
// Subscribers act on their own address and are not staff: these are not in the audit log (an
// anonymous flood must not be able to fill it); the rows and the outbox are the record.
import 'server-only';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { config, publicUrl } from '@/lib/config';
import { db } from '@/lib/db';
import { Invalid, NotConfigured, TooManyAttempts } from '@/lib/errors';
import { sha256Hex } from '@/lib/hash';
import { enqueueMail } from '@/lib/mail/outbox';
import { parseInput } from '@/lib/validation';

/** One confirmation mail per address per this long. */
export const CONFIRMATION_COOLDOWN_MS = 10 * 60_000;
/** One confirmation mail per day to someone who unsubscribed. */
export const UNSUBSCRIBED_COOLDOWN_MS = 24 * 3600_000;
/** A confirmation link works this long. */
export const CONFIRMATION_TTL_MS = 48 * 3600_000;

export const subscribeInput = z.strictObject({
  email: z
    .string({ message: 'Enter your email address.' })
    .trim()
    .max(254, 'An email address is at most 254 characters.')
    .pipe(z.email({ message: 'Enter an email address like name@example.com.' }))
    .transform((email) => email.toLowerCase()),
});

/** The mailbox an address reaches: its `+tag` dropped (the rows keep the address as given). */
const mailboxOf = (email: string) => email.replace(/\+[^@]*@/, '@');

type Purpose = 'confirm' | 'unsubscribe';
type Claims = { s: string; p: Purpose; n?: string; e?: number };

let hmacKey: Buffer | undefined;
function key() {
  const secret = config().AUTH_SECRET;
  if (!secret) throw new NotConfigured('Set AUTH_SECRET: subscription links are signed with a key derived from it.');
  hmacKey ??= Buffer.from(hkdfSync('sha256', secret, 'firebreak', 'status subscription links', 32));
  return hmacKey;
}

/** A link token: the claims (base64url JSON) and their HMAC-SHA256. */
export function signToken(claims: Claims) {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${createHmac('sha256', key()).update(body).digest('base64url')}`;
}

const INVALID = 'This link is not valid, has expired or was used already. Ask for a new one on the status page.';

function readToken(token: unknown, purpose: Purpose): Claims {
  if (typeof token !== 'string' || token.length > 500) throw new Invalid(INVALID, {}, 'invalid_token');
  const [body, mac] = token.split('.');
  const expected = body && createHmac('sha256', key()).update(body).digest();
  const given = mac ? Buffer.from(mac, 'base64url') : Buffer.alloc(0);
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new Invalid(INVALID, {}, 'invalid_token');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Claims;
  if (claims.p !== purpose || (claims.e && claims.e < Date.now())) throw new Invalid(INVALID, {}, 'invalid_token');
  return claims;
}

function statusUrl() {
  const base = publicUrl();
  if (!base) throw new NotConfigured('Set FIREBREAK_PUBLIC_URL: subscription mail links to the status page.');
  return `${base}/status`;
}

/** The one-click unsubscribe link of a subscriber (it does not expire). */
export const unsubscribeUrl = (subscriberId: string, base = statusUrl()) =>
  `${base}/unsubscribe?token=${signToken({ s: subscriberId, p: 'unsubscribe' })}`;

/**
 * Asks for notices by email: a confirmation mail unless the address is subscribed already or was
 * sent one within the cooldown. The caller answers the same in every case.
 */
export async function requestSubscription(raw: unknown): Promise<void> {
  const { email } = parseInput(subscribeInput, raw);
  const status = statusUrl();
  const now = new Date();
  const busy = () => new TooManyAttempts('Many people are subscribing right now: try again in a minute.', 60);
  await db.$transaction(async (tx) => {
    // One request at a time decides (the cap below holds under concurrency); a request that finds
    // another deciding is answered "try again" rather than queued on a web process's connections.
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext('firebreak.status.subscribe')) AS locked`;
    if (!locked) throw busy();
    // Many addresses at once meet a global cap, answered alike for every address.
    const lastMinute = await tx.statusSubscriber.count({
      where: { confirmationSentAt: { gt: new Date(now.getTime() - 60_000) } },
    });
    if (lastMinute >= config().STATUS_SUBSCRIBE_PER_MINUTE) throw busy();
    await tx.$executeRaw`INSERT INTO "StatusSubscriber" (id, email) VALUES (gen_random_uuid(), ${email}) ON CONFLICT (email) DO NOTHING`;
    const [row] = await tx.$queryRaw<
      { id: string; confirmedAt: Date | null; unsubscribedAt: Date | null; confirmationSentAt: Date | null }[]
    >`SELECT id, "confirmedAt", "unsubscribedAt", "confirmationSentAt" FROM "StatusSubscriber" WHERE email = ${email} FOR UPDATE`;
    if (row.confirmedAt && !row.unsubscribedAt) return;
    // One mail per mailbox per cooldown — `name+1@`, `name+2@` are one mailbox — and a day for
    // someone who unsubscribed (nobody can keep mailing them "confirm again").
    const cooldown = row.unsubscribedAt ? UNSUBSCRIBED_COOLDOWN_MS : CONFIRMATION_COOLDOWN_MS;
    const [recent] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "StatusSubscriber"
       WHERE "confirmationSentAt" > ${new Date(now.getTime() - cooldown)}
         AND regexp_replace(email, '[+][^@]*@', '@') = ${mailboxOf(email)}`;
    if (recent.n > 0) return;
    const nonce = randomBytes(16).toString('base64url');
    await tx.statusSubscriber.update({
      where: { id: row.id },
      data: { confirmNonce: sha256Hex(nonce), confirmationSentAt: now },
    });
    const token = signToken({ s: row.id, p: 'confirm', n: nonce, e: now.getTime() + CONFIRMATION_TTL_MS });
    const name = config().FIREBREAK_EXCHANGE_NAME;
    await enqueueMail(
      {
        stream: 'TRANSACTIONAL',
        to: email,
        subject: `${name}: confirm that you want our incident notices`,
        text: [
          `Someone (we hope you) asked for ${name}'s incident notices at ${status}.`,
          '',
          `To confirm, open this link within 48 hours and press Confirm:`,
          `${status}/subscribe/confirm?token=${token}`,
          '',
          'If it was not you, ignore this mail: nothing is sent until the address is confirmed.',
          'We will never ask for your password, your 2FA codes or for funds.',
        ].join('\n'),
        idempotencyKey: `status-subscription:${row.id}:${sha256Hex(nonce).slice(0, 16)}`,
      },
      tx,
    );
  });
}

/** Confirms a subscription with the link's token: once (the nonce is spent), before it expires. */
export async function confirmSubscription(token: unknown) {
  const claims = readToken(token, 'confirm');
  const done = await db.statusSubscriber.updateMany({
    where: { id: claims.s, confirmNonce: sha256Hex(claims.n ?? '') },
    data: { confirmNonce: null, confirmedAt: new Date(), unsubscribedAt: null },
  });
  if (done.count !== 1) throw new Invalid(INVALID, {}, 'invalid_token');
}

/** Unsubscribes with the link's token (idempotent: a second click says the same). */
export async function unsubscribe(token: unknown) {
  const claims = readToken(token, 'unsubscribe');
  await db.statusSubscriber.updateMany({
    where: { id: claims.s, unsubscribedAt: null },
    data: { unsubscribedAt: new Date() },
  });
}

/** Reads a token's claims without acting (the confirm and unsubscribe pages show a button first). */
export function tokenLooksValid(token: unknown, purpose: Purpose) {
  try {
    readToken(token, purpose);
    return true;
  } catch {
    return false;
  }
}
