// Demo data for the embedded default: one staff user per role. Runs once (when there are no
// staff users yet); passwords are generated unless FIREBREAK_DEMO_PASSWORD sets one (tests).
import 'server-only';
import { systemActor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/passwords';
import { ROLES, type Role } from '@/lib/auth/policy';
import { addChannel } from '@/lib/channels';
import { config } from '@/lib/config';
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
    const password = config().FIREBREAK_DEMO_PASSWORD || generatePassword();
    const name = `Demo ${role.charAt(0)}${role.slice(1).toLowerCase()}`;
    await createStaff(seed, { email: demoEmail(role), name, role, password });
    credentials.push({ role, email: demoEmail(role), password });
  }
  await seedDemoChannels();
  return credentials;
}

/** The demo exchange's official channels, each listed with a signed statement (lib/channels). */
async function seedDemoChannels() {
  const seed = systemActor('seed');
  const channels = [
    { name: 'X', kind: 'X', handle: '@firebreakdemo', url: 'https://x.com/firebreakdemo' },
    { name: 'Telegram', kind: 'TELEGRAM', handle: 't.me/firebreakdemo', url: 'https://t.me/firebreakdemo' },
    { name: 'Mail', kind: 'MAIL_DOMAIN', handle: 'firebreak.local' },
    { name: 'Blog', kind: 'BLOG', handle: 'blog.firebreak.local', url: 'https://blog.firebreak.local' },
  ] as const;
  for (const channel of channels) await addChannel(seed, channel);
}

export const DEMO_CUSTOMER_PASSWORD = 'demo-customer-password';

/**
 * A realistic customer directory for the demo, written set-based in a few seconds: 50,000
 * customers (a third with 2FA, half with a balance), one live session each and an API key for
 * every fifth. They share one argon2id hash (hashing 50,000 passwords would take an hour).
 * Runs once, when the directory is empty. Customer emails are customerN@demo.firebreak.local.
 */
export async function seedDemoCustomers(count = 50_000): Promise<number> {
  if ((await db.customer.count()) > 0) return 0;
  const hash = await hashPassword(DEMO_CUSTOMER_PASSWORD);
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`
      INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "twoFactorEnabled", "hasBalance", "credentialsChangedAt", "createdAt")
      SELECT gen_random_uuid(), 'cust-' || g, 'customer' || g || '@demo.firebreak.local', ${hash}, g % 3 = 0, g % 2 = 0,
             now() - interval '90 days', now() - interval '90 days'
        FROM generate_series(1, ${count}::int) AS g`;
      await tx.$executeRaw`
      INSERT INTO "CustomerSession" (id, "customerId", "tokenHash", "createdAt", "lastSeenAt")
      SELECT gen_random_uuid(), id, md5(random()::text || id::text) || md5(id::text), now() - interval '1 day', now() FROM "Customer"`;
      await tx.$executeRaw`
      INSERT INTO "CustomerApiKey" (id, "customerId", "keyHash", label, "createdAt")
      SELECT gen_random_uuid(), id, md5(random()::text || id::text) || md5(random()::text), 'trading bot', now() - interval '30 days'
        FROM "Customer" WHERE right("externalId", 1) IN ('0', '5')`;
    },
    { timeout: 120_000 },
  );
  return count;
}
