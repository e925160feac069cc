// A plain `pg` pool beside the Prisma client, for the customer's hot paths — login and the session
// check that runs on every request of a signed-in customer. Prisma's query layer costs about as
// much CPU per query as the query itself; on the customer login (bench:reset's post-reset wave,
// where argon2id needs every core) this pool moved the wave from 0.71–0.79× to 0.81–0.90× of
// argon2id alone. Everything else uses Prisma (lib/db.ts). Created on first use: processes that
// never serve a customer never open it.
import 'server-only';
import type pg from 'pg';
import { config, requireDatabaseUrl } from '@/lib/config';
import { logger } from '@/lib/log';
import { createPgPool } from './pg';

const globalForPool = globalThis as unknown as { firebreakPgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!globalForPool.firebreakPgPool) {
    const pool = createPgPool(
      'database pool',
      { connectionString: requireDatabaseUrl(), max: config().DATABASE_POOL_SIZE },
      (message: string) => logger('db').error(message),
    );
    globalForPool.firebreakPgPool = pool;
  }
  return globalForPool.firebreakPgPool;
}

export async function endPgPool() {
  const pool = globalForPool.firebreakPgPool;
  globalForPool.firebreakPgPool = undefined;
  await pool?.end();
}
