// The fan-out of an approved reset: the customer id space is cut into partitions that run in
// parallel; each advances in set-based chunks in keyset order (customer id), one transaction per
// chunk that flags the customers, revokes their sessions (a column of the customer row) and API
// keys, locks withdrawals, inserts one reset token each, queues one reset mail each, and moves its
// partition's cursor. A killed worker loses at most its open chunks (rolled back); whoever runs
// the partition next resumes from the cursor. Tokens are unique per (campaign, customer) and mails
// per idempotency key `reset:<campaign>:<customer>`, so nobody gets two.
import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import sql from 'sql-template-tag';
import { recordAuditPg } from '@/lib/audit';
import { systemActor } from '@/lib/auth/actor';
import { channelLabel, type KIND_LABELS } from '@/lib/channels/schema';
import { config, publicUrl } from '@/lib/config';
import { createPgPool } from '@/lib/db/pg';
import { sha256Hex } from '@/lib/hash';
import { appendTimeline } from '@/lib/incidents/timeline';
import { enqueueRowsPg, RecipientRefused } from '@/lib/mail/outbox';
import { pollingLoop } from '@/lib/polling';
import { emitWebhook } from '@/lib/webhooks/emit';
import { cohortWhere } from './cohort';

const RESET_LOCK = 0x52535420; // "RST "
const fanout = systemActor('reset-fanout');

type CampaignRow = {
  id: string;
  incidentId: string;
  scope: 'ALL' | 'AFFECTED';
  onlyWithout2fa: boolean;
  onlyWithBalance: boolean;
  revokeSessions: boolean;
  revokeApiKeys: boolean;
  sendMail: boolean;
  lockWithdrawalsHours: number | null;
  status: string;
  effectiveAt: Date;
  reference: string;
};
type PartitionRow = { lowerId: string; upperId: string | null; cursor: string | null; done: boolean };

export const RESET_MAIL_SUBJECT = 'Your password has been reset — action required';

/** The public base URL of reset links. */
export const resetLinkBase = () => (publicUrl() ?? 'http://localhost:3000').replace(/\/$/, '');

/**
 * The reset mail's text (exported for the benchmark's hand-written floor): the link, and where the
 * truth lives — the status page, which also says which channel has been lost since — and the
 * channels that were ours when it was sent.
 */
export function resetMail(link: string, reference: string, hours: number, channels: readonly string[] = []) {
  return [
    'We have reset the password of your account as a precaution, following a security incident',
    `(${reference}). Your old password and your existing sessions no longer work.`,
    '',
    `Set a new password here (the link works once and expires in ${hours} hours):`,
    link,
    '',
    'We will never ask you for your password, for 2FA codes, or to send funds anywhere.',
    `Only trust links to our own domain. Our announcements: ${resetLinkBase()}/status`,
    ...(channels.length
      ? [`Our official channels: ${channels.join('; ')} (the status page says if one is compromised).`]
      : []),
  ].join('\n');
}

/** The labels of the channels that are ours now ("X: @exchange"), for customer mail. */
export async function officialChannelsPg(client: Pick<pg.ClientBase, 'query'>) {
  const { rows } = await client.query<{ kind: keyof typeof KIND_LABELS; handle: string }>(
    `SELECT kind::text, handle FROM "OfficialChannel" WHERE status <> 'COMPROMISED' ORDER BY "createdAt"`,
  );
  return rows.map(channelLabel);
}

/** Marks the campaign COMPLETED once every partition is done (whichever partition finishes last). */
async function completeIfDone(client: pg.ClientBase, campaign: CampaignRow) {
  const { rowCount } = await client.query(
    `UPDATE "ResetCampaign" SET status = 'COMPLETED', "finishedAt" = now()
      WHERE id = $1 AND status = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM "ResetPartition" WHERE "campaignId" = $1 AND NOT done)`,
    [campaign.id],
  );
  if (!rowCount) return;
  await recordAuditPg(client, fanout, {
    action: 'reset.completed',
    targetType: 'ResetCampaign',
    targetId: campaign.id,
    data: { incident: campaign.reference },
  });
  await appendTimeline(client, fanout, campaign.incidentId, {
    action: 'reset.completed',
    message: 'Password reset fan-out completed',
    data: { campaignId: campaign.id },
  });
  const {
    rows: [counts],
  } = await client.query<{ processed: number; mailed: number }>(
    `SELECT "processedCount" AS processed, "mailedCount" AS mailed FROM "ResetCampaign" WHERE id = $1`,
    [campaign.id],
  );
  await emitWebhook(client, {
    type: 'reset.completed',
    key: `reset.completed:${campaign.id}`,
    data: { campaign: campaign.id, incident: campaign.reference, ...counts },
  });
}

/**
 * Runs one chunk of one partition of a campaign on `client` (a dedicated connection). Returns the
 * number of customers it processed: 0 when the partition is done (or the campaign not running).
 * `runner` names the worker in the chunk's audit event (which worker fanned out what).
 */
export async function runChunk(
  client: pg.ClientBase,
  campaignId: string,
  partition: number,
  runner = 'unnamed',
): Promise<number> {
  const settings = config();
  await client.query('BEGIN');
  try {
    const {
      rows: [part],
    } = await client.query<PartitionRow>(
      `SELECT "lowerId", "upperId", cursor, done FROM "ResetPartition" WHERE "campaignId" = $1 AND partition = $2 FOR UPDATE`,
      [campaignId, partition],
    );
    const {
      rows: [campaign],
    } = await client.query<CampaignRow>(
      `SELECT c.*, i.reference FROM "ResetCampaign" c JOIN "Incident" i ON i.id = c."incidentId" WHERE c.id = $1`,
      [campaignId],
    );
    if (!part || !campaign || campaign.status !== 'RUNNING') {
      await client.query('ROLLBACK');
      return 0;
    }
    if (part.done) {
      await completeIfDone(client, campaign); // a partition that finished alongside another retries the completion
      await client.query('COMMIT');
      return 0;
    }
    // Customers whose credentials changed after the reset took effect (new passwords, new
    // sign-ups) are already safe: they get no flag, no token and no mail.
    const { rows: customers } = await client.query<{ id: string; email: string }>(
      sql`SELECT cu.id, cu.email FROM "Customer" cu
           WHERE cu.id > ${part.cursor ?? part.lowerId}::uuid AND (${part.upperId}::uuid IS NULL OR cu.id < ${part.upperId}::uuid)
             AND cu."credentialsChangedAt" < ${campaign.effectiveAt}::timestamptz AND ${cohortWhere(campaign)}
           ORDER BY cu.id LIMIT ${settings.RESET_CHUNK_SIZE}`,
    );
    if (customers.length === 0) {
      await client.query(`UPDATE "ResetPartition" SET done = true WHERE "campaignId" = $1 AND partition = $2`, [
        campaignId,
        partition,
      ]);
      await completeIfDone(client, campaign);
      await client.query('COMMIT');
      return 0;
    }
    const ids = customers.map((c) => c.id);
    // One HOT update per customer (the table's fillfactor leaves room on each page): the flag, the
    // withdrawal lock, and the revocation of every session created before the reset took effect.
    // The update re-reads each row as it locks it: a customer whose credentials an approved change
    // replaced since the read above is left out, and the mail goes to the address the row holds
    // now, never to one just replaced (an approval waits for this chunk, then retires its links).
    const { rows: flagged } = await client.query<{ id: string; email: string; externalId: string }>(
      `UPDATE "Customer" SET "mustResetPassword" = true,
              "withdrawalsLockedUntil" = CASE WHEN $2::int IS NULL THEN "withdrawalsLockedUntil"
                                              ELSE greatest(coalesce("withdrawalsLockedUntil", now()), now() + make_interval(hours => $2::int)) END,
              "sessionsRevokedBefore" = CASE WHEN $3::boolean THEN greatest("sessionsRevokedBefore", $4::timestamptz) ELSE "sessionsRevokedBefore" END
        WHERE id = ANY ($1::uuid[]) AND "credentialsChangedAt" < $4::timestamptz
        RETURNING id, email, "externalId"`,
      [ids, campaign.lockWithdrawalsHours, campaign.revokeSessions, campaign.effectiveAt],
    );
    if (campaign.revokeApiKeys) {
      await client.query(
        `UPDATE "CustomerApiKey" SET "revokedAt" = now() WHERE "customerId" = ANY ($1::uuid[]) AND "revokedAt" IS NULL AND "createdAt" < $2`,
        [ids, campaign.effectiveAt],
      );
    }
    let mailed = 0;
    if (campaign.sendMail) {
      // 256 random bits per token, drawn in one call for the chunk (one call per token cost ~3 µs).
      const random = randomBytes(32 * flagged.length);
      const tokens = flagged.map((_, i) => random.toString('base64url', 32 * i, 32 * i + 32));
      const { rows: issued } = await client.query<{ customerId: string }>(
        `INSERT INTO "ResetToken" ("customerId", "campaignId", "tokenHash", "expiresAt")
         SELECT t.customer, $1::uuid, t.hash, now() + make_interval(hours => $4::int)
           FROM unnest($2::uuid[], $3::text[]) AS t(customer, hash)
         ON CONFLICT ("customerId", "campaignId") DO NOTHING RETURNING "customerId"`,
        [campaign.id, flagged.map((c) => c.id), tokens.map(sha256Hex), settings.RESET_TOKEN_TTL_HOURS],
      );
      const issuedTo = new Set(issued.map((r) => r.customerId));
      const base = resetLinkBase();
      const channels = await officialChannelsPg(client);
      const [head, tail] = resetMail('\0', campaign.reference, settings.RESET_TOKEN_TTL_HOURS, channels).split('\0'); // rendered once a chunk
      const rows = flagged.flatMap((customer, i) =>
        issuedTo.has(customer.id)
          ? [
              {
                to: customer.email,
                subject: RESET_MAIL_SUBJECT,
                text: `${head}${base}/account/reset/${tokens[i]}${tail}`,
                idempotencyKey: `reset:${campaign.id}:${customer.id}`,
                incidentId: campaign.incidentId,
                campaignId: campaign.id,
              },
            ]
          : [],
      );
      if (rows.length) mailed = (await enqueueRowsPg(client, 'SECURITY', rows)).queued;
    }
    // The exchange's systems learn whom this chunk reached, in this chunk's transaction: one event
    // per chunk, however often the chunk is retried (its key is its first customer).
    if (flagged.length)
      await emitWebhook(client, {
        type: 'reset.customers',
        key: `reset.customers:${campaign.id}:${ids[0]}`,
        data: {
          campaign: campaign.id,
          incident: campaign.reference,
          effectiveAt: campaign.effectiveAt,
          externalIds: flagged.map((c) => c.externalId),
        },
      });
    await client.query(
      `UPDATE "ResetPartition" SET cursor = $3, processed = processed + $4 WHERE "campaignId" = $1 AND partition = $2`,
      [campaign.id, partition, ids[ids.length - 1], ids.length],
    );
    // The shared counters and the audit head are written last, so parallel partitions queue on
    // those rows only for the moment before each commit.
    await client.query(
      `UPDATE "ResetCampaign" SET "processedCount" = "processedCount" + $2, "mailedCount" = "mailedCount" + $3, "chunksDone" = "chunksDone" + 1 WHERE id = $1`,
      [campaign.id, ids.length, mailed],
    );
    await recordAuditPg(client, fanout, {
      action: 'reset.chunk_done',
      targetType: 'ResetCampaign',
      targetId: campaign.id,
      data: { partition, customers: ids.length, mailed, last: ids[ids.length - 1], runner },
    });
    await client.query('COMMIT');
    return ids.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof RecipientRefused) {
      await client.query(`UPDATE "ResetCampaign" SET status = 'FAILED', "lastError" = $2 WHERE id = $1`, [
        campaignId,
        error.message,
      ]);
    }
    throw error;
  }
}

/**
 * The worker's reset loop: finds running campaigns and fans out each of their partitions in
 * parallel, each on its own connection while holding that partition's advisory lock, so one
 * worker runs a partition at a time and a dead worker's locks go with its connections.
 */
export function createResetRunner(options: { databaseUrl: string; pollMs?: number; log?: (line: string) => void }) {
  const log = options.log ?? (() => {});
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pool = createPgPool(
    'reset runner',
    { connectionString: options.databaseUrl, max: config().RESET_PARTITIONS + 1 },
    log,
  );

  async function runPartition(campaignId: string, partition: number) {
    const client = await pool.connect();
    try {
      const {
        rows: [lock],
      } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
        RESET_LOCK,
        `${campaignId}:${partition}`,
      ]);
      if (!lock.ok) return 0;
      try {
        let total = 0;
        for (
          let n = await runChunk(client, campaignId, partition, id);
          n > 0 && loop.running();
          n = await runChunk(client, campaignId, partition, id)
        )
          total += n;
        return total;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RESET_LOCK, `${campaignId}:${partition}`]);
      }
    } finally {
      client.release();
    }
  }

  async function tick() {
    const { rows } = await pool.query<{ id: string; partitions: number[] }>(
      `SELECT c.id, array_agg(p.partition ORDER BY p.partition) AS partitions FROM "ResetCampaign" c JOIN "ResetPartition" p ON p."campaignId" = c.id
        WHERE c.status = 'RUNNING' GROUP BY c.id, c."effectiveAt" ORDER BY c."effectiveAt"`,
    );
    for (const { id, partitions } of rows) {
      const done = await Promise.allSettled(partitions.map((partition) => runPartition(id, partition)));
      const total = done.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
      for (const r of done) if (r.status === 'rejected') log(`reset ${id}: ${(r.reason as Error).message}`);
      if (total) log(`reset ${id}: fanned out ${total} customers`);
    }
  }

  const loop = pollingLoop({
    name: 'reset runner',
    tick,
    pollMs: options.pollMs,
    log,
    close: () => pool.end(),
  });
  return {
    id,
    async start() {
      loop.start();
    },
    stop: loop.stop,
  };
}
