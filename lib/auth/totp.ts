// Two-factor sign-in for staff: TOTP (RFC 6238, 6 digits, 30 s, SHA-1 — what every authenticator
// app speaks) via the `otpauth` library. Enrolment is two steps — a pending secret is shown as a QR
// code, and only a correct code from the app enables it — so nobody is locked out by a scan that
// did not take. A code is accepted once: the accepted time step is stored with an atomic UPDATE
// that only moves forward, so a code seen over a shoulder or replayed by a proxy fails.
// API tokens (automation) do not use TOTP. Secrets are stored as base32 in the database, like the
// password hashes beside them: protect database access and backups accordingly.
import 'server-only';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { db } from '@/lib/db';
import { Conflict, Invalid, NotFound } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import type { Actor, StaffActor } from './actor';
import { assertCan } from './policy';
import { email } from './schema';

const ISSUER = 'Firebreak';
const WINDOW = 1; // one step either side: clocks drift, people type slowly

const totpFor = (secret: string, label = '') =>
  new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

export const totpCode = z.preprocess(
  (value) => (typeof value === 'string' ? value.replace(/\s/g, '') : value),
  z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.'),
);

/** The time step a code belongs to, if it is valid now (within the window); otherwise null. */
function stepOf(secret: string, code: string): number | null {
  const totp = totpFor(secret);
  const delta = totp.validate({ token: code, window: WINDOW });
  return delta === null ? null : totp.counter() + delta;
}

/**
 * Accepts a code for a user's enabled secret once: true only if the code is valid and its time
 * step is later than the last accepted one (one atomic UPDATE, so two racing uses cannot both win).
 */
export async function acceptTotpCode(userId: string, secret: string, code: string): Promise<boolean> {
  const step = stepOf(secret, code);
  if (step === null) return false;
  const moved = await db.staffUser.updateMany({
    where: { id: userId, totpSecret: secret, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return moved.count === 1;
}

export type TotpStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  pending: { secret: string; uri: string; qrSvg: string } | null;
};

async function pendingView(user: { email: string; totpPendingSecret: string | null }) {
  if (!user.totpPendingSecret) return null;
  const uri = totpFor(user.totpPendingSecret, user.email).toString();
  return {
    secret: user.totpPendingSecret,
    uri,
    qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
  };
}

export async function totpStatus(actor: StaffActor): Promise<TotpStatus> {
  const user = await db.staffUser.findUniqueOrThrow({ where: { id: actor.id } });
  return {
    enabled: Boolean(user.totpSecret),
    enabledAt: user.totpEnabledAt,
    pending: user.totpSecret ? null : await pendingView(user),
  };
}

/** Step 1: a new pending secret (replacing any earlier pending one) to scan. */
export async function beginTotpEnrolment(actor: StaffActor) {
  const user = await db.staffUser.findUniqueOrThrow({ where: { id: actor.id } });
  if (user.totpSecret)
    throw new Conflict('Two-factor sign-in is already on. Turn it off first to enrol a new device.', 'totp_enabled');
  const secret = new Secret({ size: 20 }).base32;
  // Audited although nothing is in force until the confirmation: a second factor being set up on
  // an account nobody asked about is what a security team looks for after a session is stolen.
  await db.$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: actor.id }, data: { totpPendingSecret: secret } });
    await recordAudit(tx, actor, {
      action: 'staff.totp_enrolment_started',
      targetType: 'StaffUser',
      targetId: actor.id,
      data: { email: user.email },
    });
  });
  return (await pendingView({ email: user.email, totpPendingSecret: secret }))!;
}

/** Step 2: a correct code from the app turns the pending secret on. */
export async function confirmTotpEnrolment(actor: StaffActor, raw: unknown) {
  const { code } = parseInput(z.object({ code: totpCode }), raw);
  const user = await db.staffUser.findUniqueOrThrow({ where: { id: actor.id } });
  if (user.totpSecret) throw new Conflict('Two-factor sign-in is already on.', 'totp_enabled');
  if (!user.totpPendingSecret)
    throw new Invalid('Start the set-up first: no code is expected yet.', undefined, 'totp_not_started');
  const step = stepOf(user.totpPendingSecret, code);
  if (step === null)
    throw new Invalid(
      'That code does not match. Check the time on your phone and enter the current code.',
      { fields: { code: 'Wrong code.' } },
      'totp_invalid',
    );
  await db.$transaction(async (tx) => {
    const moved = await tx.staffUser.updateMany({
      where: { id: actor.id, totpSecret: null, totpPendingSecret: user.totpPendingSecret },
      data: {
        totpSecret: user.totpPendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: new Date(),
        totpLastStep: step,
      },
    });
    if (moved.count !== 1)
      throw new Conflict('The set-up changed meanwhile (another tab?). Start again.', 'totp_changed');
    await recordAudit(tx, actor, {
      action: 'staff.totp_enabled',
      targetType: 'StaffUser',
      targetId: actor.id,
      data: { email: user.email },
    });
  });
}

/** Turns two-factor sign-in off for oneself; needs a current code, so a hijacked session alone cannot. */
export async function disableTotp(actor: StaffActor, raw: unknown) {
  const { code } = parseInput(z.object({ code: totpCode }), raw);
  const user = await db.staffUser.findUniqueOrThrow({ where: { id: actor.id } });
  if (!user.totpSecret) throw new Conflict('Two-factor sign-in is not on.', 'totp_disabled');
  if (!(await acceptTotpCode(user.id, user.totpSecret, code))) {
    throw new Invalid(
      'That code is not valid (each code works once; wait for the next one).',
      { fields: { code: 'Wrong code.' } },
      'totp_invalid',
    );
  }
  await clearTotp(actor, user.id, user.email, 'staff.totp_disabled');
}

/** An ADMIN (or the CLI) clears another account's two-factor sign-in, e.g. after a lost phone. */
export async function resetStaffTotp(actor: Actor, raw: unknown) {
  assertCan(actor, 'staff.manage');
  const input = parseInput(z.object({ email }), raw);
  const user = await db.staffUser.findUnique({ where: { email: input.email } });
  if (!user) throw new NotFound(`No staff account for ${input.email}.`);
  await clearTotp(actor, user.id, user.email, 'staff.totp_reset');
}

async function clearTotp(
  actor: Actor,
  id: string,
  userEmail: string,
  action: 'staff.totp_disabled' | 'staff.totp_reset',
) {
  await db.$transaction(async (tx) => {
    // A reset (a lost phone, or a stolen one) also ends the account's sessions signed in until now.
    await tx.staffUser.update({
      where: { id },
      data: {
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        ...(action === 'staff.totp_reset' ? { sessionsValidAfter: new Date() } : {}),
      },
    });
    await recordAudit(tx, actor, { action, targetType: 'StaffUser', targetId: id, data: { email: userEmail } });
  });
}
