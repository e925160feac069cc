// The exchange side of a mandatory reset — a reference implementation of the customer's login,
// session check and password reset. The approved campaign is itself the switch (invariant 3):
// login and every session use evaluate the cohort predicate of every effective campaign, so the
// reset takes hold the moment it is approved, before any per-customer row is written.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { burnPasswordCheck, hashPassword, verifyPassword } from '@/lib/auth/passwords';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { pgPool } from '@/lib/db/pool';
import { DomainError, Invalid, TooManyAttempts } from '@/lib/errors';
import { sha256Hex } from '@/lib/hash';
import { logger } from '@/lib/log';
import { effectiveCampaignsSql } from '@/lib/resets/cohort';
import { issueMissingResetLink, linkMissingSql, resetRequiredSql, strandedSql } from '@/lib/resets/late-links';
import { parseInput } from '@/lib/validation';
import { COMMON_PASSWORDS } from './common-passwords';

export class PasswordResetRequired extends DomainError {
  constructor() {
    super(
      'password_reset_required',
      'Your password must be reset before you can sign in. Check your email for the reset link from us.',
    );
  }
}

export class CustomerUnauthenticated extends DomainError {
  constructor(message = 'Wrong email or password.') {
    super('unauthenticated', message);
  }
}

/** The answer while an account's login is paused by repeated wrong passwords. */
const lockedOut = (until: Date) =>
  new TooManyAttempts(
    'Too many failed attempts: logging in to this account is paused for a while. Try again later, or use the password reset link from your email.',
    Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
  );

export const customerLoginInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().min(1).max(256),
});

export async function customerLogin(raw: unknown): Promise<{ sessionToken: string; customerId: string }> {
  const { email, password } = parseInput(customerLoginInput, raw);
  const { CUSTOMER_LOGIN_MAX_FAILURES: maxFailures, CUSTOMER_LOGIN_LOCKOUT_MINUTES: lockMinutes } = config();
  // One query finds the customer, its guessing pause, and evaluates the switch; the switch's answer
  // is revealed only after the password has been verified, so a wrong password never learns that
  // a reset is pending. A login writes nothing unless it fails or follows failures: the post-reset
  // wave of correct passwords costs no more than before the throttle. Every query here goes through
  // the plain pg pool (lib/db/pool.ts): this is the path of that wave.
  const {
    rows: [customer],
  } = await pgPool().query<{
    id: string;
    passwordHash: string | null;
    failedLogins: number;
    lockedUntil: Date | null;
    resetRequired: boolean;
    stranded: boolean;
  }>(
    `SELECT cu.id, cu."passwordHash", cu."failedLogins", CASE WHEN cu."loginLockedUntil" > now() THEN cu."loginLockedUntil" END AS "lockedUntil",
            r."resetRequired", r."resetRequired" AND ${linkMissingSql} AS stranded
       FROM "Customer" cu, LATERAL (SELECT ${resetRequiredSql} AS "resetRequired") r
      WHERE cu.email = $1 AND cu.status = 'ACTIVE' LIMIT 1`,
    [email],
  );
  if (!customer?.passwordHash) {
    await burnPasswordCheck(password);
    throw new CustomerUnauthenticated();
  }
  if (customer.lockedUntil) throw lockedOut(customer.lockedUntil);
  if (!(await verifyPassword(customer.passwordHash, password))) {
    // Counted atomically; the failure that reaches the limit sets the pause. Guesses already being
    // verified when it is set still finish (bounded by the server's argon2id throughput).
    const {
      rows: [counted],
    } = await pgPool().query<{ lockedUntil: Date | null }>(
      `UPDATE "Customer" SET
              "loginLockedUntil" = CASE WHEN "failedLogins" + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE "loginLockedUntil" END,
              "failedLogins" = CASE WHEN "failedLogins" + 1 >= $2 THEN 0 ELSE "failedLogins" + 1 END
        WHERE id = $1::uuid AND ("loginLockedUntil" IS NULL OR "loginLockedUntil" <= now())
        RETURNING "loginLockedUntil" AS "lockedUntil"`,
      [customer.id, maxFailures, lockMinutes],
    );
    if (counted?.lockedUntil && counted.lockedUntil > new Date()) throw lockedOut(counted.lockedUntil);
    throw new CustomerUnauthenticated();
  }
  // The right password ends a run of failures, whether or not a reset is pending.
  if (customer.failedLogins > 0)
    await pgPool().query(`UPDATE "Customer" SET "failedLogins" = 0 WHERE id = $1::uuid`, [customer.id]);
  if (customer.resetRequired) {
    // Nobody is stranded: a refusal without a live link issues one (lib/resets/late-links.ts).
    // Only then: a refused login the fan-out has covered or is about to cover writes nothing.
    if (customer.stranded) await issueLinkSafely(customer.id);
    throw new PasswordResetRequired();
  }
  const sessionToken = randomBytes(32).toString('base64url');
  // Only while the credentials verified above are still the customer's: an approved credential
  // change (or a reset) that committed during the password check must not be outlived by a
  // session made with what it replaced.
  const { rowCount } = await pgPool().query(
    // FOR SHARE: an approval in flight holds the row; this waits for it and re-checks the row it
    // committed. An approval that comes later waits for this insert and revokes the session.
    `INSERT INTO "CustomerSession" (id, "customerId", "tokenHash")
     SELECT gen_random_uuid(), cu.id, $2 FROM (SELECT id FROM "Customer"
      WHERE id = $1::uuid AND "passwordHash" = $3 AND email = $4 AND status = 'ACTIVE' FOR SHARE) cu`,
    [customer.id, sha256Hex(sessionToken), customer.passwordHash, email],
  );
  if (!rowCount) throw new CustomerUnauthenticated();
  return { sessionToken, customerId: customer.id };
}

/** The customer behind a session token, or an error saying why it no longer works. */
export async function checkCustomerSession(token: string) {
  if (!token || token.length >= 200)
    throw new CustomerUnauthenticated('The session is not valid (signed out, revoked or unknown).');
  // One query (on the plain pg pool: it runs on every request of a signed-in customer) reads the
  // session, its customer, and whether an effective campaign revokes it.
  const {
    rows: [row],
  } = await pgPool().query<{
    createdAt: Date;
    revokedAt: Date | null;
    id: string;
    externalId: string;
    email: string;
    status: string;
    sessionsRevokedBefore: Date | null;
    resetRequired: boolean;
  }>(
    `SELECT s."createdAt", s."revokedAt", cu.id, cu."externalId", cu.email, cu.status, cu."sessionsRevokedBefore",
            EXISTS (${effectiveCampaignsSql}
                    AND c."revokeSessions" AND c."effectiveAt" > s."createdAt") AS "resetRequired"
       FROM "CustomerSession" s JOIN "Customer" cu ON cu.id = s."customerId"
      WHERE s."tokenHash" = $1`,
    [sha256Hex(token)],
  );
  if (!row || row.revokedAt)
    throw new CustomerUnauthenticated('The session is not valid (signed out, revoked or unknown).');
  if (row.status !== 'ACTIVE') throw new CustomerUnauthenticated('The account is not active.');
  if (row.resetRequired) {
    const {
      rows: [check],
    } = await pgPool().query<{ stranded: boolean }>(
      `SELECT ${strandedSql} AS stranded FROM "Customer" cu WHERE cu.id = $1::uuid`,
      [row.id],
    );
    if (check?.stranded) await issueLinkSafely(row.id);
    throw new PasswordResetRequired();
  }
  if (row.sessionsRevokedBefore && row.createdAt < row.sessionsRevokedBefore) {
    throw new CustomerUnauthenticated('The session was revoked by a password reset.');
  }
  return { customerId: row.id, externalId: row.externalId, email: row.email, sessionCreatedAt: row.createdAt };
}

/** A failure to issue a late link must not turn "password reset required" into a 500. */
export async function issueLinkSafely(customerId: string) {
  await issueMissingResetLink(customerId).catch((error: Error) =>
    logger('reset').error({ customerId, err: error }, 'could not issue a reset link'),
  );
}

export const newPasswordPolicy = z
  .string({ message: 'Choose a new password.' })
  .min(12, 'Use at least 12 characters.')
  .max(256, 'Use at most 256 characters.')
  .refine(
    (p) => !COMMON_PASSWORDS.has(p.toLowerCase()),
    'That password is one of the most common ones; choose another.',
  );

export const customerResetInput = z.object({ token: z.string().min(20).max(200), newPassword: newPasswordPolicy });

/**
 * Whether a reset link can still be used (issued, unused, unexpired): the reset page says so at
 * once instead of after two passwords were typed. resetCustomerPassword decides again, atomically.
 */
export async function resetLinkUsable(token: string): Promise<boolean> {
  if (token.length > 200) return false;
  const [row] = await db.$queryRaw<{ ok: number }[]>`
    SELECT 1 AS ok FROM "ResetToken"
     WHERE "tokenHash" = ${sha256Hex(token)} AND "usedAt" IS NULL AND "expiresAt" > now()`;
  return Boolean(row);
}

/**
 * Sets a new password with a reset token: single use (an atomic UPDATE … WHERE usedAt IS NULL),
 * not expired; clears the reset flag, moves credentialsChangedAt past every campaign, revokes
 * every session, and retires the customer's other unused reset tokens.
 */
export async function resetCustomerPassword(raw: unknown) {
  const { token, newPassword } = parseInput(customerResetInput, raw);
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    const [used] = await tx.$queryRaw<{ customerId: string; campaignId: string }[]>`
      UPDATE "ResetToken" SET "usedAt" = now()
       WHERE "tokenHash" = ${sha256Hex(token)} AND "usedAt" IS NULL AND "expiresAt" > now()
       RETURNING "customerId", "campaignId"`;
    if (!used)
      throw new Invalid(
        'This reset link is not valid: it was already used, has expired, or was never issued. Request a new one.',
        undefined,
        'invalid_token',
      );
    await tx.customer.update({
      where: { id: used.customerId },
      data: {
        passwordHash,
        mustResetPassword: false,
        credentialsChangedAt: new Date(),
        failedLogins: 0,
        loginLockedUntil: null,
      },
    });
    await tx.customerSession.updateMany({
      where: { customerId: used.customerId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await tx.resetToken.updateMany({
      where: { customerId: used.customerId, usedAt: null },
      data: { usedAt: new Date() },
    });
    await recordAudit(tx, systemActor('customer'), {
      action: 'customer.password_reset',
      targetType: 'Customer',
      targetId: used.customerId,
      data: { campaignId: used.campaignId },
    });
    return { customerId: used.customerId };
  });
}
