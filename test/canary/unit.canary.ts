// Canary for the unit runner (run only by scripts/test-canary.ts, with FIREBREAK_CANARY=unit):
// one test that needs the real per-file database and passes, one that must fail. A run of this file
// that exits 0 means the test command hides failures.
import pg from 'pg';
import { expect, test } from 'vitest';

test('canary: the real test database is there (passes)', async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query(
    'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
  );
  await client.end();
  expect(rows[0].n).toBeGreaterThan(0);
});

test('canary: this test fails on purpose', () => {
  expect(1).toBe(2);
});
