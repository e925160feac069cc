import { describe, expect, it } from 'vitest';
import { type StaffActor, systemActor } from '@/lib/auth/actor';
import { assertCan, can, type Permission, type Role } from '@/lib/auth/policy';
import { Forbidden } from '@/lib/errors';

const as = (role: Role): StaffActor => ({ kind: 'staff', id: 'x', email: 'x@x', name: 'x', role, via: 'session' });

describe('role policy (DESIGN.md, "Users and roles")', () => {
  const table: [Permission, Role[]][] = [
    ['staff.manage', ['ADMIN']],
    ['token.manage', ['ADMIN']],
    ['incident.declare', ['ADMIN', 'SECURITY']],
    ['reset.approve', ['ADMIN', 'SECURITY']],
    ['mail.freeze', ['ADMIN', 'SECURITY']],
    // Issue 13: comms and security draft and publish; executives approve but never edit or publish.
    ['disclosure.draft', ['ADMIN', 'COMMS', 'SECURITY']],
    ['disclosure.publish', ['ADMIN', 'COMMS', 'SECURITY']],
    ['disclosure.approve', ['ADMIN', 'SECURITY', 'EXECUTIVE']],
    ['audit.read', ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE']],
  ];
  it.each(table)('%s is allowed to exactly %j', (permission, allowed) => {
    for (const role of ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE'] as Role[]) {
      expect(can(as(role), permission), `${role} ${permission}`).toBe(allowed.includes(role));
    }
  });

  it('assertCan throws Forbidden with the role in the message', () => {
    expect(() => assertCan(as('EXECUTIVE'), 'mail.freeze')).toThrow(Forbidden);
    expect(() => assertCan(as('EXECUTIVE'), 'mail.freeze')).toThrow(/EXECUTIVE/);
    expect(() => assertCan(systemActor('cli'), 'staff.manage')).not.toThrow();
  });
});
