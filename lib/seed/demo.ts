// Demo data for the embedded default: one staff user per role. Runs once (when there are no
// staff users yet); passwords are generated unless FIREBREAK_DEMO_PASSWORD sets one (tests).
import 'server-only';
import { systemActor } from '@/lib/auth/actor';
import { ROLES, type Role } from '@/lib/auth/policy';
import { db } from '@/lib/db';
import { createStaff, generatePassword } from '@/lib/staff';

export type DemoCredential = { role: Role; email: string; password: string };

export const demoEmail = (role: Role) => `${role.toLowerCase()}@firebreak.local`;

/** Returns the credentials it created, or null when the database already had staff. */
export async function seedDemo(): Promise<DemoCredential[] | null> {
  if ((await db.staffUser.count()) > 0) return null;
  const seed = systemActor('seed');
  const credentials: DemoCredential[] = [];
  for (const role of ROLES) {
    const password = process.env.FIREBREAK_DEMO_PASSWORD || generatePassword();
    const name = `Demo ${role.charAt(0)}${role.slice(1).toLowerCase()}`;
    await createStaff(seed, { email: demoEmail(role), name, role, password });
    credentials.push({ role, email: demoEmail(role), password });
  }
  return credentials;
}
