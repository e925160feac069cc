// The one Prisma client of a process (web, worker or CLI), on the pg driver adapter.
import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { config, requireDatabaseUrl } from '@/lib/config';
import { endPgPool } from '@/lib/db/pool';
import { PrismaClient } from '@/lib/generated/prisma/client';

export type { Prisma } from '@/lib/generated/prisma/client';
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

const globalForPrisma = globalThis as unknown as { firebreakPrisma?: PrismaClient };

function createClient() {
  const adapter = new PrismaPg({
    connectionString: requireDatabaseUrl(),
    max: config().DATABASE_POOL_SIZE,
  });
  return new PrismaClient({ adapter });
}

/** Created on first use, so that importing a module never needs a database. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    globalForPrisma.firebreakPrisma ??= createClient();
    const value = Reflect.get(globalForPrisma.firebreakPrisma, property);
    return typeof value === 'function' ? value.bind(globalForPrisma.firebreakPrisma) : value;
  },
});

export async function disconnectDb() {
  await endPgPool();
  await globalForPrisma.firebreakPrisma?.$disconnect();
  globalForPrisma.firebreakPrisma = undefined;
}
