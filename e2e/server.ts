// The server the browser tests run against: the real `npm start` launcher (web + worker) on a
// fresh database — a wiped embedded cluster under .data/e2e, or, with DATABASE_URL, a new
// `firebreak_e2e` database on that server — seeded with demo staff whose password the tests know.
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { OIDC_CLIENT, OIDC_ROLE_MAP, startOidcProvider } from '../test/oidc-provider';
import { freePort } from '../test/ports';
import { E2E_PASSWORD, E2E_PORT } from './config';

process.env.PORT = String(E2E_PORT);
process.env.FIREBREAK_DEMO_PASSWORD = E2E_PASSWORD;
process.env.NEXTAUTH_URL = `http://localhost:${E2E_PORT}`;
process.env.SMTP_SINK_PORT = process.env.E2E_SMTP_PORT ?? '2535';
process.env.FIREBREAK_DEMO_CUSTOMERS = '2000';

// Staff single sign-on against a real OpenID provider started here (e2e/sso.spec.ts).
const oidc = await startOidcProvider({ redirectUri: `${process.env.NEXTAUTH_URL}/api/auth/callback/sso` });
process.env.OIDC_ISSUER = oidc.issuer;
process.env.OIDC_CLIENT_ID = OIDC_CLIENT.id;
process.env.OIDC_CLIENT_SECRET = OIDC_CLIENT.secret;
process.env.OIDC_ROLE_MAP = OIDC_ROLE_MAP;
process.env.OIDC_DISPLAY_NAME = 'Test IdP';

if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS firebreak_e2e WITH (FORCE)');
  await admin.query('CREATE DATABASE firebreak_e2e');
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = '/firebreak_e2e';
  process.env.DATABASE_URL = url.toString();
  process.env.FIREBREAK_SEED_DEMO = '1';
  process.env.AUTH_SECRET ??= 'e2e-secret-e2e-secret-e2e-secret-e2e-0000';
  // The launcher generates the notice signing key only for the embedded default.
  process.env.FIREBREAK_SIGNING_KEY ??= generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
} else {
  process.env.FIREBREAK_DATA_DIR = join(process.cwd(), '.data/e2e');
  // A free port unless one is given (fixed ports in the ephemeral range can be taken).
  process.env.EMBEDDED_PG_PORT = process.env.E2E_PG_PORT ?? String(await freePort());
  rmSync(process.env.FIREBREAK_DATA_DIR, { recursive: true, force: true });
}

await import('../scripts/start');
