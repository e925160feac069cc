import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/auth/actor';
import { authenticateStaff } from '@/lib/auth/login';
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, resetStaffTotp, totpStatus } from '@/lib/auth/totp';
import { db } from '@/lib/db';
import { staffActor } from '../../test/fixtures';

/** What the user's authenticator app shows, `steps` periods from now. */
const appCode = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });
/** The code of one time step (deterministic across a 30 s boundary, unlike "now"). */
const codeAt = (secret: string, step: number) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: step * 30_000 });
const lastStep = async (id: string) => (await db.staffUser.findUniqueOrThrow({ where: { id } })).totpLastStep!;
/** Six digits that are none of the codes valid now. */
const wrongCode = (secret: string) =>
  ['000000', '111111', '222222', '333333'].find((c) => ![-1, 0, 1].some((d) => appCode(secret, d) === c))!;

async function enrolled() {
  const user = await staffActor('SECURITY');
  const { secret } = await beginTotpEnrolment(user);
  await confirmTotpEnrolment(user, { code: appCode(secret) });
  return { user, secret };
}

describe('two-factor sign-in (TOTP)', () => {
  it('is enabled only by a correct code for the pending secret, and audited', async () => {
    const user = await staffActor('COMMS');
    await expect(confirmTotpEnrolment(user, { code: '123456' })).rejects.toMatchObject({ code: 'totp_not_started' });
    const pending = await beginTotpEnrolment(user);
    expect(pending.uri).toMatch(/^otpauth:\/\/totp\/Firebreak:.*secret=/);
    expect(pending.qrSvg).toMatch(/^<svg/);
    expect((await totpStatus(user)).pending?.secret).toBe(pending.secret);
    await expect(confirmTotpEnrolment(user, { code: 'abc' })).rejects.toMatchObject({ status: 400 });
    await expect(confirmTotpEnrolment(user, { code: wrongCode(pending.secret) })).rejects.toMatchObject({
      code: 'totp_invalid',
    });
    // Without a confirmed secret, the password alone still signs in.
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({ ok: true });

    await confirmTotpEnrolment(user, { code: appCode(pending.secret) });
    expect(await totpStatus(user)).toMatchObject({ enabled: true, pending: null });
    await expect(beginTotpEnrolment(user)).rejects.toMatchObject({ code: 'totp_enabled' });
    expect(await db.auditEvent.count({ where: { action: 'staff.totp_enabled', targetId: user.id } })).toBe(1);
    // Starting the set-up is on the record too (one start in this test), with no secret in it.
    const started = await db.auditEvent.findMany({
      where: { action: 'staff.totp_enrolment_started', targetId: user.id },
    });
    expect(started).toHaveLength(1);
    expect(JSON.stringify(started[0].data)).not.toContain(pending.secret);
  });

  it('sign-in then needs a current code; a wrong or replayed code fails and counts toward the lockout', async () => {
    const { user, secret } = await enrolled();
    expect(await authenticateStaff({ email: user.email, password: user.password })).toEqual({
      ok: false,
      reason: 'totp_required',
    });
    // A code is not a way around a wrong password.
    const used = await lastStep(user.id);
    expect(
      await authenticateStaff({ email: user.email, password: 'wrong password!', code: codeAt(secret, used + 1) }),
    ).toEqual({ ok: false, reason: 'invalid' });
    expect(await authenticateStaff({ email: user.email, password: user.password, code: wrongCode(secret) })).toEqual({
      ok: false,
      reason: 'totp_invalid',
    });

    // The enrolment's code cannot be used again; the next period's can, once.
    expect(await authenticateStaff({ email: user.email, password: user.password, code: codeAt(secret, used) })).toEqual(
      { ok: false, reason: 'totp_invalid' },
    );
    const next = codeAt(secret, used + 1);
    expect(await authenticateStaff({ email: user.email, password: user.password, code: next })).toMatchObject({
      ok: true,
      actor: { id: user.id },
    });
    expect(await authenticateStaff({ email: user.email, password: user.password, code: next })).toEqual({
      ok: false,
      reason: 'totp_invalid',
    });
    // Codes far from now are refused.
    const fromYesterday = new TOTP({ secret: Secret.fromBase32(secret) }).generate({
      timestamp: Date.now() - 86_400_000,
    });
    expect(await authenticateStaff({ email: user.email, password: user.password, code: fromYesterday })).toMatchObject({
      ok: false,
    });

    const failures = await db.auditEvent.findMany({ where: { action: 'staff.sign_in_failed', targetId: user.id } });
    expect(failures.map((e) => (e.data as { factor: string }).factor)).toEqual(
      expect.arrayContaining(['password', 'totp']),
    );
  });

  it('two racing uses of one code: exactly one signs in', async () => {
    const { user, secret } = await enrolled();
    const code = codeAt(secret, (await lastStep(user.id)) + 1);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => authenticateStaff({ email: user.email, password: user.password, code })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('turning it off needs a current code; an ADMIN or the CLI can reset it; others cannot', async () => {
    const { user, secret } = await enrolled();
    const used = await lastStep(user.id);
    await expect(disableTotp(user, { code: codeAt(secret, used) })).rejects.toMatchObject({ code: 'totp_invalid' }); // already used
    await disableTotp(user, { code: codeAt(secret, used + 1) });
    expect(await totpStatus(user)).toMatchObject({ enabled: false });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({ ok: true });

    const second = await enrolled();
    await expect(resetStaffTotp(await staffActor('SECURITY'), { email: second.user.email })).rejects.toMatchObject({
      status: 403,
    });
    await resetStaffTotp(await staffActor('ADMIN'), { email: second.user.email });
    expect(await authenticateStaff({ email: second.user.email, password: second.user.password })).toMatchObject({
      ok: true,
    });
    await expect(resetStaffTotp(systemActor('cli'), { email: 'nobody@test.local' })).rejects.toMatchObject({
      status: 404,
    });
    expect(await db.auditEvent.count({ where: { action: { in: ['staff.totp_disabled', 'staff.totp_reset'] } } })).toBe(
      2,
    );
  });
});

describe('a lock cannot keep a responder with their password and two-factor code out', () => {
  it('while locked, the password and a current code together sign in; either alone answers like a wrong password', async () => {
    const { user, secret } = await enrolled();
    for (let i = 0; i < 5; i++) await authenticateStaff({ email: user.email, password: `attacker guess ${i}` });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect(
      await authenticateStaff({ email: user.email, password: 'attacker guess', code: appCode(secret) }),
    ).toMatchObject({ ok: false, reason: 'locked' });
    expect(
      await authenticateStaff({ email: user.email, password: user.password, code: wrongCode(secret) }),
    ).toMatchObject({ ok: false, reason: 'locked' });
    expect(
      await authenticateStaff({ email: user.email, password: user.password, code: appCode(secret, 1) }),
    ).toMatchObject({ ok: true });
    expect(await db.staffUser.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      lockedUntil: null,
      failedLoginCount: 0,
    });
    const signedIn = await db.auditEvent.findFirst({
      where: { action: 'staff.signed_in', targetId: user.id },
      orderBy: { seq: 'desc' },
    });
    expect(signedIn?.data).toMatchObject({ whileLocked: true });
  });

  it('a phished password buys 3 code guesses per lock, not more: then even the right code is refused', async () => {
    const { user, secret } = await enrolled();
    for (let i = 0; i < 5; i++) await authenticateStaff({ email: user.email, password: `attacker guess ${i}` });
    for (let i = 0; i < 3; i++)
      expect(
        await authenticateStaff({ email: user.email, password: user.password, code: wrongCode(secret) }),
      ).toMatchObject({ reason: 'locked' });
    expect(
      await authenticateStaff({ email: user.email, password: user.password, code: appCode(secret, 1) }),
    ).toMatchObject({ ok: false, reason: 'locked' });
    expect(
      await db.auditEvent.count({
        where: { action: 'staff.sign_in_failed', targetId: user.id, data: { path: ['whileLocked'], equals: true } },
      }),
    ).toBe(3);
  });
});
