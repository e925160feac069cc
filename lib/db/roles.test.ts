// The web app and worker run as a least-privilege role: these tests sign in as that role and try
// to rewrite history the ways an attacker with the app's credentials would, then run a whole
// response (declare, reset with approval, fan-out, mail to a sink, the worker's audit job) as it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordAuditPg } from '@/lib/audit';
import { verifyAuditChain } from '@/lib/audit/verify';
import { systemActor } from '@/lib/auth/actor';
import { prepareDatabase } from '@/lib/db/prepare';
import { APPEND_ONLY_TABLES, currentPrivileges, grantAppPrivileges, userOf } from '@/lib/db/roles';
import { sql } from '../../test/sql';

const ownerUrl = process.env.DATABASE_URL!;
const role = `app_${process.pid}_${randomBytes(3).toString('hex')}`;
const password = randomBytes(12).toString('base64url');
const appUrl = (() => {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password;
  return url.toString();
})();

async function asApp<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE the statement fails with as the app role (null when it succeeds). */
function refusal(text: string) {
  return asApp((client) =>
    client.query(text).then(
      () => null,
      (error: { code?: string }) => error.code ?? 'unknown',
    ),
  );
}

async function admin(text: string) {
  const client = new pg.Client({ connectionString: inject('adminUrl') });
  await client.connect();
  await client.query(text).finally(() => client.end());
}

beforeAll(async () => {
  await admin(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await prepareDatabase(ownerUrl, { appRole: role });
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await recordAuditPg(owner, systemActor('test'), { action: 'incident.note_added' });
  await owner.end();
});
afterAll(async () => {
  await sql(`REASSIGN OWNED BY ${role} TO CURRENT_USER; DROP OWNED BY ${role}`).catch(() => {});
  await admin(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
});

describe('the app role cannot rewrite history', () => {
  it('appends to the audit log, and the chain still verifies', async () => {
    await asApp((client) => recordAuditPg(client, systemActor('test'), { action: 'incident.note_added' }));
    expect(await verifyAuditChain(appUrl)).toMatchObject({ ok: true, checked: 2 });
  });

  for (const table of APPEND_ONLY_TABLES) {
    it(`is refused UPDATE, DELETE and TRUNCATE on ${table} by the privilege system, not only by a trigger`, async () => {
      // 42501 is insufficient_privilege: the statement never reaches the append-only trigger,
      // which the table's owner could disable.
      const column =
        ({ AuditEvent: 'hash', AuditCheckpoint: 'hash', DisclosureRevision: 'title' } as Record<string, string>)[
          table
        ] ?? 'id';
      expect(await refusal(`UPDATE "${table}" SET "${column}" = "${column}"`)).toBe('42501');
      expect(await refusal(`DELETE FROM "${table}"`)).toBe('42501');
      expect(await refusal(`TRUNCATE "${table}"`)).toBe('42501');
    });
  }

  it("cannot change a mail count: only the outbox's triggers write the tally, and they still do for it", async () => {
    expect(await refusal(`INSERT INTO "MailTally" (stream, status, n) VALUES ('BULK', 'SENT', 1000)`)).toBe('42501');
    expect(await refusal(`UPDATE "MailTally" SET n = 0`)).toBe('42501');
    expect(await refusal(`DELETE FROM "MailTally"`)).toBe('42501');
    const counted = await asApp(async (client) => {
      await client.query(
        `INSERT INTO "MailMessage" (id, stream, "to", subject, text, "idempotencyKey", "messageId")
         VALUES (gen_random_uuid(), 'BULK', 'one@roles.example', 's', 't', 'roles-tally', '<roles-tally@x>')`,
      );
      await client.query('SELECT firebreak_fold_mail_tally()');
      const { rows } = await client.query(
        `SELECT sum(n)::int AS n FROM "MailTally" WHERE stream = 'BULK' AND status = 'QUEUED'`,
      );
      return rows[0].n;
    });
    expect(counted).toBe(1);
  });

  it('cannot disable the append-only trigger, alter, drop or create tables', async () => {
    expect(await refusal('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"')).toBe('42501');
    expect(await refusal('ALTER TABLE "AuditEvent" ADD COLUMN x int')).toBe('42501');
    expect(await refusal('DROP TABLE "AuditEvent"')).toBe('42501');
    expect(await refusal('CREATE TABLE public.evil (id int)')).toBe('42501');
    expect(await refusal('DROP FUNCTION firebreak_audit_append_only() CASCADE')).toBe('42501');
    expect(await refusal('SELECT * FROM "_prisma_migrations"')).toBe('42501');
    expect(await sql('SELECT count(*)::int AS n FROM "AuditEvent"')).toEqual([{ n: 2 }]);
  });

  it("cannot move the head: only the append trigger, with the owner's rights, does", async () => {
    expect(await refusal(`UPDATE "AuditHead" SET seq = 1`)).toBe('42501');
    expect(await refusal(`DELETE FROM "AuditHead"`)).toBe('42501');
  });

  it('cannot append an event that breaks the chain or is dated in the past, even with a correct hash', async () => {
    const { GENESIS_HASH: _, hashEvent } = await import('@/lib/audit/chain');
    const [head] = await sql<{ seq: string; hash: string }>('SELECT seq::text, hash FROM "AuditHead"');
    const insert = (seq: bigint, prevHash: string, at: Date) => {
      const event = {
        seq,
        at,
        actorType: 'staff',
        actorId: null,
        actorLabel: 'ciso@exchange.example',
        action: 'reset.approved',
        targetType: null,
        targetId: null,
        data: {},
      };
      const hash = hashEvent(prevHash, event);
      return refusal(
        `INSERT INTO "AuditEvent" (seq, at, "actorType", "actorLabel", action, data, "prevHash", hash)
         VALUES (${seq}, '${at.toISOString()}', 'staff', 'ciso@exchange.example', 'reset.approved', '{}', '${prevHash}', '${hash}')`,
      );
    };
    const next = BigInt(head.seq) + 1n;
    expect(await insert(next + 5n, head.hash, new Date())).toBe('23514'); // a gap
    expect(await insert(next, 'f'.repeat(64), new Date())).toBe('23514'); // a fork
    expect(await insert(next, head.hash, new Date('2026-01-01T09:00:00Z'))).toBe('23514'); // back-dated
    expect(await verifyAuditChain(appUrl)).toMatchObject({ ok: true });
  });

  it("cannot change the job queue's queues or schedules (a deleted queue stopped every worker)", async () => {
    expect(await refusal('DELETE FROM pgboss.queue')).toBe('42501');
    expect(await refusal('DELETE FROM pgboss.schedule')).toBe('42501');
    expect(await refusal(`UPDATE pgboss.version SET version = 0`)).toBe('42501');
    expect(await refusal(`UPDATE pgboss.version SET cron_on = now()`)).toBeNull(); // what pg-boss itself does
  });

  it('a verification cannot be dated in the future (to stay "the latest" on the Audit page)', async () => {
    await asApp((client) =>
      client.query(
        `INSERT INTO "AuditVerification" (id, at, ok, checked) VALUES (gen_random_uuid(), '2099-01-01', true, 5)`,
      ),
    );
    const [row] = await sql<{ future: boolean }>(
      `SELECT max(at) > now() + interval '1 minute' AS future FROM "AuditVerification"`,
    );
    expect(row.future).toBe(false);
  });

  it('cannot create objects in schema public even where PUBLIC could (PostgreSQL before 15)', async () => {
    await sql('GRANT CREATE ON SCHEMA public TO PUBLIC');
    expect(await refusal('CREATE TABLE public.evil_public (id int)')).toBeNull(); // what PostgreSQL 13/14 allow by default
    await sql('DROP TABLE public.evil_public');
    await prepareDatabase(ownerUrl, { appRole: role });
    expect(await refusal('CREATE TABLE public.evil_public (id int)')).toBe('42501');
  });

  it('reports itself as unable to rewrite the audit log; the owner as able', async () => {
    expect(await asApp(currentPrivileges)).toEqual({ role, canRewriteAudit: false });
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    expect(await currentPrivileges(owner).finally(() => owner.end())).toEqual({
      role: userOf(ownerUrl),
      canRewriteAudit: true,
    });
  });

  it('takes back privileges granted by hand when the migration runs again', async () => {
    await sql(`GRANT UPDATE, DELETE ON "AuditEvent" TO ${role}`);
    expect((await asApp(currentPrivileges)).canRewriteAudit).toBe(true);
    await prepareDatabase(ownerUrl, { appRole: role });
    expect((await asApp(currentPrivileges)).canRewriteAudit).toBe(false);
  });

  it('refuses to grant to a role that does not exist, or to one that is a member of the owner', async () => {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      await expect(grantAppPrivileges(client, 'no_such_role_here')).rejects.toThrow(/does not exist.*CREATE ROLE/);
      await client.query(`GRANT ${pg.escapeIdentifier(userOf(ownerUrl))} TO ${role}`);
      await expect(grantAppPrivileges(client, role)).rejects.toThrow(/would not be least-privilege/);
    } finally {
      await client.query(`REVOKE ${pg.escapeIdentifier(userOf(ownerUrl))} FROM ${role}`).catch(() => {});
      await client.end();
    }
  });
});

describe('the whole response runs as the app role', () => {
  it('declares, resets with a second approver, fans out, sends the mail and verifies the chain', async () => {
    process.env.DATABASE_URL = appUrl; // every module below opens its connections as the app role
    try {
      const { approveReset, requestReset } = await import('@/lib/resets');
      const { declaredIncident, staffActor } = await import('../../test/fixtures');
      const { startWorker } = await import('../../worker/index');
      const { until } = await import('../../test/until');
      const { db } = await import('@/lib/db');
      const { JOB_QUEUES } = await import('@/lib/db/job-queue');
      const { seedCustomers } = await import('../../test/customers');
      await seedCustomers(20, { prefix: 'least' });
      const { security, incident } = await declaredIncident();
      const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
      await approveReset(await staffActor('ADMIN'), campaign.id);
      const lines: string[] = [];
      const worker = await startWorker({ log: (line) => lines.push(line) });
      try {
        await until(
          async () =>
            (await db.resetCampaign.findUnique({ where: { id: campaign.id } }))?.status === 'COMPLETED' || null,
          30_000,
          100,
        );
        expect(await db.mailMessage.count({ where: { campaignId: campaign.id } })).toBe(20);
        await worker.boss.send(JOB_QUEUES.verifyAuditChain, {});
        const verification = await until(
          () => db.auditVerification.findFirst({ orderBy: { at: 'desc' } }),
          20_000,
          100,
        );
        expect(verification).toMatchObject({ ok: true });
        expect(lines.filter((line) => /can rewrite the audit log/.test(line))).toEqual([]);
      } finally {
        await worker.stop();
      }
    } finally {
      process.env.DATABASE_URL = ownerUrl;
    }
  });
});
