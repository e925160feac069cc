// Starts the test cluster once per run: the embedded PostgreSQL (data under .data/test, fsync off)
// or, when DATABASE_URL is set, that server (its user needs CREATEDB). Builds a template database
// with every migration applied; each test file then gets its own copy (test/database.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';

export const TEMPLATE = 'firebreak_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

let server: EmbeddedDatabase | undefined;

export async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = join(process.cwd(), '.data/test');
    rmSync(dataDir, { recursive: true, force: true });
    server = await startEmbeddedPostgres({ dataDir, port: Number(process.env.TEST_PG_PORT ?? 54339), durable: false });
    adminUrl = server.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  await migrate(templateUrl.toString());
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
}

export async function teardown() {
  await server?.stop();
}
