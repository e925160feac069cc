// Everything the schema owner does before the app starts: apply the migrations, install the job
// queue, and (when the app connects as another role) grant that role exactly what it needs.
// Run by `npm start`, `firebreak migrate` and the tests' template database.
import pg from 'pg';
import { installJobQueue } from './job-queue';
import { migrate } from './migrate';
import { grantAppPrivileges, userOf } from './roles';

export type PrepareOptions = {
  log?: (line: string) => void;
  /** The role the web app and worker sign in as; grants are skipped when it is the owner itself. */
  appRole?: string;
};

/** Returns the migrations applied by this call. */
export async function prepareDatabase(ownerUrl: string, options: PrepareOptions = {}) {
  const log = options.log ?? (() => {});
  const applied = await migrate(ownerUrl, { log });
  await installJobQueue(ownerUrl);
  const appRole = options.appRole;
  if (appRole && appRole !== userOf(ownerUrl)) {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await grantAppPrivileges(client, appRole);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      await client.end();
    }
    log(`privileges of the app role "${appRole}" applied (audit log and timeline: read and append only)`);
  } else {
    log(
      'warning: the web app and worker connect as the schema owner, which can rewrite the audit log; set DATABASE_OWNER_URL for migrations and a least-privilege DATABASE_URL (README, "Database roles")',
    );
  }
  return applied;
}
