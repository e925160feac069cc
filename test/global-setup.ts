// Starts the test cluster once per run: the embedded PostgreSQL (fsync off; data under
// .data/test-<pid> on a free port, so two runs in one checkout never share or wipe a cluster) or,
// when DATABASE_URL is set, that server (its user needs CREATEDB). Builds a template database
// with every migration applied; each test file then gets its own copy (test/database.ts).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../lib/db/embedded';
import { prepareDatabase } from '../lib/db/prepare';
import { freePort } from './ports';

const TEMPLATE = `firebreak_test_template_${process.pid}`;

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

let server: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    removeClustersOfDeadRuns();
    dataDir = join(process.cwd(), `.data/test-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    server = await startEmbeddedPostgres({
      dataDir,
      port: Number(process.env.TEST_PG_PORT ?? (await freePort())),
      durable: false,
    });
    adminUrl = server.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  await prepareDatabase(templateUrl.toString());
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
}

export async function teardown() {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await admin.end();
  }
}

/** Clusters left by runs that were killed (their pid is gone). */
function removeClustersOfDeadRuns() {
  const root = join(process.cwd(), '.data');
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const pid = /^test-(\d+)$/.exec(entry)?.[1];
    if (!pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch {
      rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
}
