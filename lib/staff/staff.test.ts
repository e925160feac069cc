import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { Conflict, Forbidden, Invalid } from '@/lib/errors';
import { createStaff, listStaff } from '@/lib/staff';
import { staffActor } from '../../test/fixtures';

describe('staff accounts', () => {
  it('an ADMIN creates one; the email is normalised and the creation audited', async () => {
    const admin = await staffActor('ADMIN');
    const { user, generatedPassword } = await createStaff(admin, { email: '  New.Person@Example.COM ', name: 'New Person', role: 'COMMS' });
    expect(user.email).toBe('new.person@example.com');
    expect(generatedPassword).toHaveLength(24);
    const event = await db.auditEvent.findFirst({ where: { action: 'staff.created', targetId: user.id } });
    expect(event).toMatchObject({ actorId: admin.id, actorLabel: admin.email });
  });

  it.each(['SECURITY', 'COMMS', 'EXECUTIVE'] as const)('a %s user cannot create or list staff', async (role) => {
    const actor = await staffActor(role);
    const before = await db.staffUser.count();
    await expect(createStaff(actor, { email: `by-${role}@example.com`, name: 'X', role: 'ADMIN' })).rejects.toThrow(Forbidden);
    await expect(listStaff(actor)).rejects.toThrow(Forbidden);
    expect(await db.staffUser.count()).toBe(before);
  });

  it('bad input is refused with field messages and writes nothing', async () => {
    const admin = await staffActor('ADMIN');
    const [staff, events] = [await db.staffUser.count(), await db.auditEvent.count()];
    await expect(createStaff(admin, { email: 'not-an-email', name: '', role: 'OWNER' as never })).rejects.toSatisfy(
      (error) => error instanceof Invalid && ['email', 'name', 'role'].every((f) => f in ((error.details as { fields: object }).fields)),
    );
    await expect(createStaff(admin, { email: 'short@example.com', name: 'Short', role: 'COMMS', password: 'short' })).rejects.toThrow(/12 characters/);
    await expect(createStaff(admin, { email: admin.email, name: 'Dup', role: 'COMMS' })).rejects.toThrow(Conflict);
    expect([await db.staffUser.count(), await db.auditEvent.count()]).toEqual([staff, events]);
  });
});
