import { describe, expect, it } from 'vitest';
import { authenticateStaff } from '@/lib/auth/login';
import { db } from '@/lib/db';
import { staffActor } from '../../test/fixtures';

const actions = async (email: string) =>
  (await db.auditEvent.findMany({ where: { data: { path: ['email'], equals: email } }, orderBy: { seq: 'asc' } })).map(
    (e) => e.action,
  );

describe('staff sign-in', () => {
  it('accepts the right password and audits the sign-in', async () => {
    const user = await staffActor('SECURITY');
    const result = await authenticateStaff({ email: user.email.toUpperCase(), password: user.password });
    expect(result).toMatchObject({ ok: true, actor: { id: user.id, role: 'SECURITY' } });
    expect(await actions(user.email)).toContain('staff.signed_in');
  });

  it('refuses a wrong password and an unknown account alike', async () => {
    const user = await staffActor('COMMS');
    expect(await authenticateStaff({ email: user.email, password: 'wrong password!' })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await authenticateStaff({ email: 'nobody@test.local', password: user.password })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await authenticateStaff({ email: 'not an email', password: '' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks the account after 5 failures, refuses even the right password while locked, and audits it', async () => {
    const user = await staffActor('ADMIN');
    for (let i = 0; i < 4; i++)
      expect(await authenticateStaff({ email: user.email, password: `guess ${i}` })).toEqual({
        ok: false,
        reason: 'invalid',
      });
    const fifth = await authenticateStaff({ email: user.email, password: 'guess 5' });
    expect(fifth).toMatchObject({ ok: false, reason: 'locked' });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect(await actions(user.email)).toContain('staff.locked_out');
    // Once the lock has passed, the right password works again.
    await db.staffUser.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({ ok: true });
  });

  it('of many concurrent guesses, at most 5 are checked before the lock', async () => {
    const user = await staffActor('EXECUTIVE');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => authenticateStaff({ email: user.email, password: `parallel guess ${i}` })),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(8);
    const checked = (await actions(user.email)).filter((a) => a === 'staff.sign_in_failed' || a === 'staff.locked_out');
    // Concurrent checks may finish in any order; what counts is how many were checked.
    expect(checked.sort()).toEqual(['staff.locked_out', ...Array(4).fill('staff.sign_in_failed')]);
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({
      ok: false,
      reason: 'locked',
    });
  });

  it('a disabled account cannot sign in', async () => {
    const user = await staffActor('SECURITY');
    await db.staffUser.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('stores only an argon2id hash of the password', async () => {
    const user = await staffActor('COMMS');
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(user.password);
  });
});

describe('what a failed sign-in tells the caller', () => {
  it('a locked account, a wrong password and an unknown email answer alike (next-auth authorize)', async () => {
    const { authOptions } = await import('@/lib/auth/next-auth');
    const authorize = (
      authOptions().providers[0] as unknown as { options: { authorize: (c: unknown) => Promise<unknown> } }
    ).options.authorize;
    const answer = (credentials: unknown) =>
      authorize(credentials).then(
        (user) => ({ user }),
        (error: Error) => ({ error: error.message }),
      );
    const locked = await staffActor('SECURITY');
    for (let i = 0; i < 5; i++) await authenticateStaff({ email: locked.email, password: `guess ${i}` });
    const other = await staffActor('SECURITY');
    const answers = [
      await answer({ email: locked.email, password: locked.password }),
      await answer({ email: locked.email, password: 'wrong' }),
      await answer({ email: other.email, password: 'wrong' }),
      await answer({ email: 'nobody@test.local', password: 'wrong' }),
    ];
    expect(answers).toEqual(Array(4).fill({ user: null }));
  });

  it('an ADMIN unlocks a locked account (audited); the password then works', async () => {
    const { unlockStaff } = await import('@/lib/staff');
    const user = await staffActor('COMMS');
    for (let i = 0; i < 5; i++) await authenticateStaff({ email: user.email, password: `guess ${i}` });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({ reason: 'locked' });
    await expect(unlockStaff(await staffActor('SECURITY'), { email: user.email })).rejects.toMatchObject({
      status: 403,
    });
    expect(await unlockStaff(await staffActor('ADMIN'), { email: user.email })).toEqual({
      email: user.email,
      wasLocked: true,
    });
    expect(await authenticateStaff({ email: user.email, password: user.password })).toMatchObject({ ok: true });
    expect(await db.auditEvent.count({ where: { action: 'staff.unlocked', targetId: user.id } })).toBe(1);
  });
});
