import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { Conflict, Forbidden, Invalid } from '@/lib/errors';
import { createStaff, listStaff } from '@/lib/staff';
import { staffActor } from '../../test/fixtures';

describe('staff accounts', () => {
  it('an ADMIN creates one; the email is normalised and the creation audited', async () => {
    const admin = await staffActor('ADMIN');
    const { user, generatedPassword } = await createStaff(admin, {
      email: '  New.Person@Example.COM ',
      name: 'New Person',
      role: 'COMMS',
    });
    expect(user.email).toBe('new.person@example.com');
    expect(generatedPassword).toHaveLength(24);
    const event = await db.auditEvent.findFirst({ where: { action: 'staff.created', targetId: user.id } });
    expect(event).toMatchObject({ actorId: admin.id, actorLabel: admin.email });
  });

  it.each(['SECURITY', 'COMMS', 'EXECUTIVE'] as const)('a %s user cannot create or list staff', async (role) => {
    const actor = await staffActor(role);
    const before = await db.staffUser.count();
    await expect(createStaff(actor, { email: `by-${role}@example.com`, name: 'X', role: 'ADMIN' })).rejects.toThrow(
      Forbidden,
    );
    await expect(listStaff(actor)).rejects.toThrow(Forbidden);
    expect(await db.staffUser.count()).toBe(before);
  });

  it('bad input is refused with field messages and writes nothing', async () => {
    const admin = await staffActor('ADMIN');
    const [staff, events] = [await db.staffUser.count(), await db.auditEvent.count()];
    await expect(createStaff(admin, { email: 'not-an-email', name: '', role: 'OWNER' as never })).rejects.toSatisfy(
      (error) =>
        error instanceof Invalid &&
        ['email', 'name', 'role'].every((f) => f in (error.details as { fields: object }).fields),
    );
    await expect(
      createStaff(admin, { email: 'short@example.com', name: 'Short', role: 'COMMS', password: 'short' }),
    ).rejects.toThrow(/12 characters/);
    await expect(createStaff(admin, { email: admin.email, name: 'Dup', role: 'COMMS' })).rejects.toThrow(Conflict);
    expect([await db.staffUser.count(), await db.auditEvent.count()]).toEqual([staff, events]);
  });
});

describe('cutting off a stolen credential', () => {
  it('disabling an account ends its sessions and tokens at once (tokens revoked), and it cannot sign in; enabling lets it sign in again', async () => {
    const { authenticateStaff } = await import('@/lib/auth/login');
    const { actorFromBearer, createApiToken } = await import('@/lib/auth/tokens');
    const { disableStaff, enableStaff } = await import('@/lib/staff');
    const admin = await staffActor('ADMIN');
    const victim = await staffActor('SECURITY');
    const { token } = await createApiToken(victim, { name: 'laptop' });
    expect(await actorFromBearer(token)).not.toBeNull();
    await expect(disableStaff(admin, { email: victim.email, reason: '' })).rejects.toThrow(Invalid);
    expect(await disableStaff(admin, { email: victim.email, reason: 'laptop stolen at the airport' })).toEqual({
      email: victim.email,
      tokensRevoked: 1,
    });
    expect(await actorFromBearer(token)).toBeNull();
    expect(await authenticateStaff({ email: victim.email, password: victim.password })).toMatchObject({ ok: false });
    await expect(disableStaff(admin, { email: victim.email, reason: 'again' })).rejects.toMatchObject({
      code: 'no_change',
    });
    await enableStaff(admin, { email: victim.email, reason: 'new laptop, password changed' });
    expect(await authenticateStaff({ email: victim.email, password: victim.password })).toMatchObject({ ok: true });
    expect(await actorFromBearer(token)).toBeNull(); // old tokens stay revoked
    const actions = (await db.auditEvent.findMany({ where: { targetId: victim.id }, orderBy: { seq: 'asc' } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['staff.disabled', 'staff.enabled']));
  });

  it('a role change applies to the account’s tokens at once; the last enabled ADMIN can be neither demoted nor disabled', async () => {
    const { actorFromBearer, createApiToken } = await import('@/lib/auth/tokens');
    const { changeStaffRole, disableStaff } = await import('@/lib/staff');
    const admin = await staffActor('ADMIN');
    const user = await staffActor('SECURITY');
    const { token } = await createApiToken(user, { name: 'bot' });
    await changeStaffRole(admin, { email: user.email, role: 'EXECUTIVE', reason: 'moved to the board' });
    expect(await actorFromBearer(token)).toMatchObject({ role: 'EXECUTIVE' });
    // Make every ADMIN but one disabled, then try to remove the last.
    await db.staffUser.updateMany({
      where: { role: 'ADMIN', id: { not: admin.id } },
      data: { disabledAt: new Date() },
    });
    await expect(changeStaffRole(admin, { email: admin.email, role: 'COMMS', reason: 'oops' })).rejects.toMatchObject({
      code: 'last_admin',
    });
    await expect(disableStaff(admin, { email: admin.email, reason: 'oops' })).rejects.toMatchObject({
      code: 'last_admin',
    });
  });

  it('tokens: each sees and revokes their own; an ADMIN sees and revokes everyone’s; the secret is never listed', async () => {
    const { actorFromBearer, createApiToken, listApiTokens, revokeApiToken } = await import('@/lib/auth/tokens');
    const comms = await staffActor('COMMS');
    const other = await staffActor('SECURITY');
    const mine = await createApiToken(comms, { name: 'status bot' });
    const theirs = await createApiToken(other, { name: 'freeze bot' });
    const listed = await listApiTokens(comms);
    expect(listed.map((t) => t.id)).toEqual([mine.id]);
    expect(JSON.stringify(listed)).not.toContain(mine.token.slice(10));
    await expect(listApiTokens(comms, { all: true })).rejects.toThrow(Forbidden);
    await expect(revokeApiToken(comms, theirs.id)).rejects.toMatchObject({ status: 404 });
    expect(await actorFromBearer(theirs.token)).not.toBeNull();
    await revokeApiToken(comms, mine.id);
    expect(await actorFromBearer(mine.token)).toBeNull();
    const admin = await staffActor('ADMIN');
    expect((await listApiTokens(admin, { all: true })).map((t) => t.id)).toEqual(
      expect.arrayContaining([mine.id, theirs.id]),
    );
    await revokeApiToken(admin, theirs.id);
    expect(await actorFromBearer(theirs.token)).toBeNull();
    expect(
      await db.auditEvent.count({ where: { action: 'token.revoked', targetId: { in: [mine.id, theirs.id] } } }),
    ).toBe(2);
  });
});

describe('the last ADMIN under concurrency', () => {
  it('two ADMINs demoting (or disabling) each other at the same moment leave one ADMIN (20 rounds)', async () => {
    const { changeStaffRole, disableStaff } = await import('@/lib/staff');
    await db.staffUser.updateMany({ where: { role: 'ADMIN' }, data: { role: 'COMMS' } });
    for (let round = 0; round < 20; round++) {
      const [a, b] = [await staffActor('ADMIN'), await staffActor('ADMIN')];
      const results = await Promise.allSettled([
        changeStaffRole(a, { email: b.email, role: 'COMMS', reason: 'coup' }),
        round % 2
          ? disableStaff(b, { email: a.email, reason: 'counter-coup' })
          : changeStaffRole(b, { email: a.email, role: 'COMMS', reason: 'counter-coup' }),
      ]);
      expect(
        results.filter((r) => r.status === 'fulfilled'),
        `round ${round}`,
      ).toHaveLength(1);
      expect(await db.staffUser.count({ where: { role: 'ADMIN', disabledAt: null } }), `round ${round}`).toBe(1);
      await db.staffUser.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: 'COMMS' } });
    }
  });
});

describe('a stolen session cookie stays dead', () => {
  it('disabling (or a two-factor reset) sets sessionsValidAfter: sessions signed in before it are refused even after the account is enabled', async () => {
    const { sessionStillValid } = await import('@/lib/auth/session');
    const { disableStaff, enableStaff } = await import('@/lib/staff');
    const { resetStaffTotp } = await import('@/lib/auth/totp');
    const admin = await staffActor('ADMIN');
    const user = await staffActor('SECURITY');
    const row = () => db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    const signedInBefore = Date.now() - 1000;
    expect(sessionStillValid(await row(), signedInBefore)).toBe(true);
    await disableStaff(admin, { email: user.email, reason: 'cookie stolen' });
    expect(sessionStillValid(await row(), signedInBefore)).toBe(false);
    await enableStaff(admin, { email: user.email, reason: 'new laptop' });
    expect(sessionStillValid(await row(), signedInBefore)).toBe(false);
    expect(sessionStillValid(await row(), Date.now() + 1)).toBe(true); // a fresh sign-in
    const signedInNow = Date.now() + 1;
    await db.staffUser.update({
      where: { id: user.id },
      data: { totpSecret: 'JBSWY3DPEHPK3PXP', totpEnabledAt: new Date() },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await resetStaffTotp(admin, { email: user.email });
    expect(sessionStillValid(await row(), signedInNow)).toBe(false);
  });

  it('a session ends SESSION_MAX_AGE_HOURS (8) after its sign-in, however often next-auth renewed its cookie', async () => {
    const { sessionStillValid } = await import('@/lib/auth/session');
    const user = await db.staffUser.findUniqueOrThrow({ where: { id: (await staffActor('COMMS')).id } });
    const hour = 3_600_000;
    expect(sessionStillValid(user, Date.now() - 7.9 * hour)).toBe(true);
    expect(sessionStillValid(user, Date.now() - 8 * hour)).toBe(false);
    expect(sessionStillValid(user, 0)).toBe(false); // a token without a sign-in time
  });
});

describe('changing your own password', () => {
  it('needs a session and the current password; then the old password stops, the new one works, and every session ends', async () => {
    const { authenticateStaff } = await import('@/lib/auth/login');
    const { changeOwnPassword } = await import('@/lib/staff');
    const { sessionStillValid } = await import('@/lib/auth/session');
    const me = await staffActor('COMMS');
    const signedInAt = Date.now() - 1000;
    const NEW = 'a brand new password 2026';
    await expect(
      changeOwnPassword({ ...me, via: 'token', tokenId: 't' }, { currentPassword: me.password, newPassword: NEW }),
    ).rejects.toMatchObject({ code: 'session_required', status: 403 });
    await expect(changeOwnPassword(me, { currentPassword: 'not it', newPassword: NEW })).rejects.toMatchObject({
      code: 'wrong_password',
      status: 400,
    });
    await expect(changeOwnPassword(me, { currentPassword: me.password, newPassword: 'short' })).rejects.toMatchObject({
      status: 400,
      details: { fields: { newPassword: expect.stringContaining('12') } },
    });
    await expect(
      changeOwnPassword(me, { currentPassword: me.password, newPassword: me.password }),
    ).rejects.toMatchObject({ status: 400 });
    expect(await db.auditEvent.count({ where: { action: 'staff.password_changed', targetId: me.id } })).toBe(0);

    await changeOwnPassword(me, { currentPassword: me.password, newPassword: NEW });
    expect(await authenticateStaff({ email: me.email, password: me.password })).toMatchObject({ ok: false });
    expect(await authenticateStaff({ email: me.email, password: NEW })).toMatchObject({ ok: true });
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: me.id } });
    expect(sessionStillValid(row, signedInAt)).toBe(false);
    expect(
      await db.auditEvent.findFirst({ where: { action: 'staff.password_changed', targetId: me.id } }),
    ).toMatchObject({ actorId: me.id, data: { via: { kind: 'session' } } });
  });
});

describe('guessing the current password through a password change', () => {
  it('counts like wrong sign-ins: the 5th pauses the account and ends its sessions; a paused account cannot change it', async () => {
    const { changeOwnPassword } = await import('@/lib/staff');
    const me = await staffActor('SECURITY');
    for (let i = 1; i <= 5; i++) {
      await expect(
        changeOwnPassword(me, { currentPassword: `guess ${i}`, newPassword: 'a brand new password 2026' }),
      ).rejects.toMatchObject({ code: 'wrong_password' });
    }
    const row = await db.staffUser.findUniqueOrThrow({ where: { id: me.id } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(row.sessionsValidAfter).not.toBeNull();
    expect(await db.auditEvent.count({ where: { action: 'staff.locked_out', targetId: me.id } })).toBe(1);
    await expect(
      changeOwnPassword(me, { currentPassword: me.password, newPassword: 'a brand new password 2026' }),
    ).rejects.toMatchObject({ code: 'account_locked' });
  });
});
