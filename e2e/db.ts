// Direct SQL on the e2e server's database, for the few changes the app has no API for (yet).
// The launcher (e2e/server.ts) uses, with DATABASE_URL, a fresh `firebreak_e2e` database on that
// server; otherwise the embedded cluster under .data/e2e, database `firebreak`, whose credentials
// the embedded server writes to .data/e2e/embedded-postgres.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export function e2eDatabaseUrl(): string {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/firebreak_e2e';
    return url.toString();
  }
  const secretFile = join(import.meta.dirname, '..', '.data', 'e2e', 'embedded-postgres.json');
  const { user, password } = JSON.parse(readFileSync(secretFile, 'utf8')) as { user: string; password: string };
  const port = process.env.E2E_PG_PORT ?? '54349';
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/firebreak`;
}

/** Runs `work` on a connection to the e2e database, closed afterwards. */
export async function withE2eDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
