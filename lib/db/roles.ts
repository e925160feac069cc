// Least privilege for the processes that face the network. The web app and the worker connect as
// a role that may read and write the application's rows but owns nothing: it cannot UPDATE,
// DELETE or TRUNCATE the append-only tables (the audit log, the incident timeline, checkpoints),
// cannot ALTER or DROP anything, and so cannot disable the triggers that guard them. Migrations
// run as the schema owner (DATABASE_OWNER_URL; the embedded default's superuser) and re-apply
// these grants every time, so a table added later is covered at once.
// Not server-only: the launcher, the CLI and the tests use it.
import pg from 'pg';

/** Tables whose rows are never changed or removed once written: SELECT and INSERT only. */
export const APPEND_ONLY_TABLES = [
  'AuditEvent',
  'AuditVerification',
  'AuditCheckpoint',
  'TimelineEntry',
  'DisclosureRevision',
  'DisclosureApproval',
  'PublishedNotice',
  'ChannelStatement',
] as const;

/**
 * Tables the app only reads: the audit head (moved by the append trigger, which runs with the
 * owner's rights), the mail tally (likewise, by the outbox's triggers), and the job queue's
 * control tables (queues and schedules are the owner's, lib/db/job-queue.ts; a deleted queue row
 * would stop every worker and the next migration).
 */
const READ_ONLY_TABLES = [
  'public.AuditHead',
  // Mail counts, written only by the outbox's triggers and the fold (functions with the owner's rights).
  'public.MailTally',
  'pgboss.queue',
  'pgboss.schedule',
  'pgboss.subscription',
  'pgboss.version',
];

/** Columns of read-only tables the app updates: pg-boss's timestamps of its last cron and maintenance runs. */
const UPDATABLE_COLUMNS: Record<string, string[]> = { 'pgboss.version': ['maintained_on', 'cron_on', 'monitored_on'] };

/** Tables the running app has no business touching at all. */
const OWNER_ONLY_TABLES = ['public._prisma_migrations'];

/** The job queue's schema (pg-boss, installed by the owner in lib/db/job-queue.ts). */
export const JOB_QUEUE_SCHEMA = 'pgboss';

type Queryable = {
  // biome-ignore lint/suspicious/noExplicitAny: pg's own row type; each query below states the shape it reads
  query: (text: string, values?: unknown[]) => Promise<{ rows: any[]; rowCount: number | null }>;
};

/** The user name a connection string signs in as. */
export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Gives `role` exactly what the web app and worker need, and takes away anything more it was given
 * on these tables (a re-run after a role was granted too much puts it right). Idempotent.
 */
export async function grantAppPrivileges(client: Queryable, role: string) {
  const id = pg.escapeIdentifier(role);
  const { rows: exists } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.length === 0) {
    throw new Error(
      `the database role "${role}" does not exist. Create it as a DBA (CREATE ROLE ${id} LOGIN PASSWORD '…'), ` +
        'then run the migration again (README, "External PostgreSQL").',
    );
  }
  const { rows: owner } = await client.query(
    `SELECT r.rolsuper OR pg_has_role($1, current_user, 'MEMBER') AS privileged FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  if (owner[0]?.privileged) {
    throw new Error(
      `the app role "${role}" is a superuser or a member of the schema owner; it would not be least-privilege`,
    );
  }
  const { rows: tables } = await client.query(
    `SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', $1) ORDER BY 1, 2`,
    [JOB_QUEUE_SCHEMA],
  );
  await client.query(`GRANT USAGE ON SCHEMA public TO ${id}`);
  await client.query(`REVOKE CREATE ON SCHEMA public FROM ${id}`);
  // Before PostgreSQL 15 every role could create objects in `public` through PUBLIC: objects
  // that could shadow the functions and tables the owner's migrations use. Take that away (this
  // works where the owner owns the schema; otherwise the check below names what a DBA must do).
  await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  const {
    rows: [create],
  } = await client.query(`SELECT has_schema_privilege($1, 'public', 'CREATE') AS can`, [role]);
  if (create.can) {
    throw new Error(
      `the app role "${role}" can create objects in schema public; as a DBA run: REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    );
  }
  const hasQueue = tables.some((t) => t.schemaname === JOB_QUEUE_SCHEMA);
  if (hasQueue) await client.query(`GRANT USAGE ON SCHEMA ${JOB_QUEUE_SCHEMA} TO ${id}`);
  for (const { schemaname, tablename } of tables) {
    const table = `${pg.escapeIdentifier(schemaname)}.${pg.escapeIdentifier(tablename)}`;
    const name = `${schemaname}.${tablename}`;
    await client.query(`REVOKE ALL ON ${table} FROM ${id}`);
    if (OWNER_ONLY_TABLES.includes(name)) continue;
    const appendOnly = schemaname === 'public' && (APPEND_ONLY_TABLES as readonly string[]).includes(tablename);
    const privileges = READ_ONLY_TABLES.includes(name)
      ? 'SELECT'
      : appendOnly
        ? 'SELECT, INSERT'
        : 'SELECT, INSERT, UPDATE, DELETE';
    await client.query(`GRANT ${privileges} ON ${table} TO ${id}`);
    const columns = UPDATABLE_COLUMNS[name];
    if (columns)
      await client.query(
        `GRANT UPDATE (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')}) ON ${table} TO ${id}`,
      );
  }
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${id}`);
  if (hasQueue) await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${JOB_QUEUE_SCHEMA} TO ${id}`);
}

export type Privileges = {
  role: string;
  /** The role can change or remove audit events (owner, superuser, or granted UPDATE/DELETE/TRUNCATE). */
  canRewriteAudit: boolean;
};

/** What the current connection's role may do to the audit log: the app checks itself at start. */
export async function currentPrivileges(client: Queryable): Promise<Privileges> {
  const { rows } = await client.query(
    `SELECT current_user AS role,
            r.rolsuper
              OR pg_has_role(current_user, c.relowner, 'MEMBER')
              OR has_table_privilege(current_user, '"AuditEvent"', 'UPDATE')
              OR has_table_privilege(current_user, '"AuditEvent"', 'DELETE')
              OR has_table_privilege(current_user, '"AuditEvent"', 'TRUNCATE') AS "canRewriteAudit"
       FROM pg_roles r, pg_class c
      WHERE r.rolname = current_user AND c.oid = '"AuditEvent"'::regclass`,
  );
  return rows[0] as Privileges;
}

/**
 * The embedded default's app role: a LOGIN role with its own password, created (or its password
 * reset to the one on disk) by the cluster's superuser.
 */
export async function ensureLoginRole(adminUrl: string, role: string, password: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const id = pg.escapeIdentifier(role);
    const literal = pg.escapeLiteral(password);
    // Two starts at once may both try to create it: the advisory lock orders them.
    await client.query('SELECT pg_advisory_lock(72707370)');
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    await client.query(
      rowCount
        ? `ALTER ROLE ${id} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal}`
        : `CREATE ROLE ${id} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal}`,
    );
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707370)').catch(() => {});
    await client.end();
  }
}

/**
 * Makes `owner` the owner of the database, its schemas and every table, sequence, function and
 * type in them — also of what a superuser created before the owner role existed (an embedded
 * cluster from an earlier version). Run as a superuser, connected to the database. Idempotent.
 */
export async function ensureOwnership(superuserUrl: string, database: string, owner: string) {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const id = pg.escapeIdentifier(owner);
    await client.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} OWNER TO ${id}`);
    const schemas = `n.nspname IN ('public', '${JOB_QUEUE_SCHEMA}')`;
    const statements = [
      `SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, $1::text) AS sql FROM pg_namespace n WHERE ${schemas} AND pg_get_userbyid(n.nspowner) <> $1`,
      // Tables (with their row types and the sequences they own) before anything else.
      `SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, $1::text) AS sql FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${schemas} AND c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) <> $1`,
      `SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, $1::text) AS sql FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${schemas} AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> $1`,
      `SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $1::text) AS sql FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE ${schemas} AND pg_get_userbyid(p.proowner) <> $1`,
      `SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, $1::text) AS sql FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE ${schemas} AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0 AND pg_get_userbyid(t.typowner) <> $1`,
    ];
    for (const query of statements) {
      const { rows } = await client.query(query, [owner]);
      for (const { sql } of rows) await client.query(sql);
    }
  } finally {
    await client.end();
  }
}
