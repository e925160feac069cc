// Seeds a customer directory set-based (one shared argon2id hash: hashing 10,000 passwords one by
// one would take minutes and test nothing more).
import { hashPassword } from '@/lib/auth/passwords';
import { sql } from './sql';

export const OLD_PASSWORD = 'the-old-password-2019';

export async function seedCustomers(
  count: number,
  options: { prefix?: string; twoFactorEvery?: number; balanceEvery?: number } = {},
) {
  const prefix = options.prefix ?? 'c';
  const hash = await hashPassword(OLD_PASSWORD);
  await sql(
    `INSERT INTO "Customer" (id, "externalId", email, "passwordHash", "twoFactorEnabled", "hasBalance", "credentialsChangedAt")
     SELECT gen_random_uuid(), $1 || g, $1 || g || '@customers.example', $2, g % $3 = 0, g % $4 = 0, now() - interval '30 days'
       FROM generate_series(1, $5) AS g`,
    [prefix, hash, options.twoFactorEvery ?? 3, options.balanceEvery ?? 2, count],
  );
}
