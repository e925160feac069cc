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
  const dataDir = join(import.meta.dirname, '..', '.data', 'e2e');
  const { user, password } = JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8')) as { user: string; password: string };
  // postmaster.pid's 4th line is the port the server listens on (e2e/server.ts picks a free one).
  const port = readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
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
