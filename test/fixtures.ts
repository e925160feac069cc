// Small builders for tests: staff users of each role, acting as themselves.
import { type StaffActor, systemActor } from '@/lib/auth/actor';
import type { Role } from '@/lib/auth/policy';
import { declareIncident } from '@/lib/incidents';
import { createStaff } from '@/lib/staff';

let counter = 0;

export async function staffActor(
  role: Role,
  password = 'correct horse battery staple',
): Promise<StaffActor & { password: string }> {
  const email = `${role.toLowerCase()}${++counter}@test.local`;
  const { user } = await createStaff(systemActor('test'), { email, name: `${role} ${counter}`, role, password });
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session', password };
}

/** A SECURITY user and an incident they just declared (a SEV1 data breach). */
export async function declaredIncident() {
  const security = await staffActor('SECURITY');
  const incident = await declareIncident(security, {
    title: 'Leak',
    kind: 'DATA_BREACH',
    severity: 'SEV1',
    summary: 's',
  });
  return { security, incident };
}
