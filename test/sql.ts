import pg from 'pg';

/** A pg client on this file's database, for assertions and for tampering in SQL. */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A digest of every row of every application table: equal before and after means nothing was
 * written (inserted, updated or deleted). For small test databases only.
 */
export async function databaseFingerprint(): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
  );
  const digest = await sql<{ name: string; md5: string }>(
    tables
      .map(
        ({ name }) =>
          `SELECT '${name}' AS name, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS md5 FROM "${name}" t`,
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(digest.map((row) => [row.name, row.md5]));
}
