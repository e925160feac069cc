// Plain `pg` pools and clients that survive losing their connection. pg emits 'error' on a client
// whose connection dies (a DBA's pg_terminate_backend, a failover, PostgreSQL restarting,
// idle_in_transaction_session_timeout); with no listener that event kills the process. pg-pool
// listens only while a client sits idle, so a client checked out for a long transaction — the
// dispatcher's chunk waiting on SMTP, the fan-out's partition — took the whole worker down. Every
// pool and long-lived client of the app comes from here and carries a listener for its whole life:
// the query in progress then fails like any other, the pool drops the broken client, and the
// caller's retry loop carries on when the database is back.
// Not server-only: the worker, the sink in the launcher and the tests use it.
import pg from 'pg';

type Log = (line: string) => void;

export function createPgPool(name: string, config: pg.PoolConfig, log: Log = () => {}): pg.Pool {
  const pool = new pg.Pool(config);
  const report = (error: Error) => log(`${name}: database connection lost (${error.message})`);
  pool.on('error', report); // an idle client
  pool.on('connect', (client) => client.on('error', report)); // every client, also while checked out
  return pool;
}

/** A single client with the same protection; connect it yourself. */
export function createPgClient(name: string, config: pg.ClientConfig, log: Log = () => {}): pg.Client {
  const client = new pg.Client(config);
  client.on('error', (error) => log(`${name}: database connection lost (${error.message})`));
  return client;
}

/**
 * Whether an error means "the database went away or is restarting" (worth a retry, and a 503 to
 * callers): pg's, and Prisma's driver-adapter errors that wrap them (followed through `cause`).
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, message, cause, originalCode } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    originalCode?: unknown;
  };
  for (const c of [code, originalCode]) {
    if (typeof c !== 'string') continue;
    if (/^(08|57P0[1-3]|53300)/.test(c)) return true; // connection exception, admin shutdown/crash, cannot connect now, too many connections
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'P1001', 'P1017'].includes(c)) return true;
  }
  if (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|Connection ended|ECONNREFUSED|Can't reach database server|terminating connection/i.test(
      message,
    )
  ) {
    return true;
  }
  return isConnectionError(cause, depth + 1);
}

/** Exponential backoff with jitter for retry loops: 0.25 s doubling to 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 10_000) * (0.75 + Math.random() * 0.5);
}
