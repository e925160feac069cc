// A plain `pg` pool beside the Prisma client, for the hot paths — the customer's login and the
// session check that runs on every request of a signed-in customer, the API token check, and the
// credential status the exchange's login service asks at every login. Prisma's query layer costs
// about as much CPU per query as the query itself; on the customer login (bench:reset's post-reset
// wave, where argon2id needs every core) this pool moved the wave from 0.71–0.79× to 0.81–0.90× of
// argon2id alone. Everything else uses Prisma (lib/db.ts). Created on first use: processes that
// never serve a customer never open it.
//
// Its connections plan named (prepared) statements once, generically: the credential-status
// lookup checks the reset predicate in three places and PostgreSQL spent ~2.5 ms planning it for
// 0.3 ms of execution, every call (a custom plan never costs more than the generic one there, so
// the planner's own heuristic kept re-planning). Unnamed statements are planned per call as before.
// A plan kept for the life of a connection must not scan a table that was empty when it was made
// and holds a million rows an hour later (ResetToken fills during a reset's fan-out): every query
// on this pool is a lookup by a key, so sequential scans are off on its connections (bench:
// credential-status fell to 15 requests/s during a reset with a seq scan of ResetToken cached).
// Behind PgBouncer: 1.21+ with max_prepared_statements set, and `options` in ignore_startup_parameters
// (the setting is then the server's: set plan_cache_mode for Firebreak's database role instead).
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
      {
        connectionString: requireDatabaseUrl(),
        max: config().DATABASE_POOL_SIZE,
        // Startup parameters, set before any query (see above).
        options: '-c plan_cache_mode=force_generic_plan -c enable_seqscan=off',
      },
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
