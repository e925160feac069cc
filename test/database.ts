// Every test file runs against its own database, copied from the migrated template, and sets
// DATABASE_URL to it before any application module opens a connection.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

const adminUrl = inject('adminUrl');
const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
await admin.end();

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.AUTH_SECRET ??= 'test-secret-test-secret-test-secret-0000';
// Notices and channel statements are signed; a test file may set its own key first.
process.env.FIREBREAK_SIGNING_KEY ??= generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
process.env.NEXTAUTH_URL ??= 'http://localhost:3000'; // what reset links point at (a worker refuses to start without it)

afterAll(async () => {
  // The status page's listening connection, if a test used it (lib/status/snapshot.ts).
  if (Symbol.for('firebreak.status.snapshot') in globalThis) {
    const { closeStatusSnapshot } = await import('@/lib/status/snapshot');
    await closeStatusSnapshot();
  }
  const { disconnectDb } = await import('@/lib/db');
  await disconnectDb();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});
