// API tokens: `fbk_` + 256 random bits, shown once; only the SHA-256 is stored. A token acts with
// its owner's current role and stops working when revoked, expired, or its owner is disabled.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { pgPool } from '@/lib/db/pool';
import { Conflict, Forbidden, Invalid, NotFound } from '@/lib/errors';
import { sha256Hex } from '@/lib/hash';
import { isUuid, parseInput } from '@/lib/validation';
import type { Actor, StaffActor } from './actor';
import { assertCan, can, type Role, type Scope } from './policy';
import { type CreateTokenInput, createTokenInput } from './schema';

const PREFIX = 'fbk_';

/**
 * Creates a token for the caller's own account, in a signed-in session: nobody mints a token that
 * acts as someone else (which would let one insider act, and approve, under another's name), and
 * a token cannot mint further tokens. Automation gets an account of its own, whose holder signs in
 * once to create its token. The CLI (system actor: it already holds the database) may create one
 * for any account, to bootstrap.
 */
export async function createApiToken(actor: Actor, raw: CreateTokenInput) {
  assertCan(actor, 'token.create');
  const input = parseInput(createTokenInput, raw);
  if (actor.kind === 'staff') {
    if (actor.via !== 'session')
      throw new Forbidden('API tokens are created in a signed-in session, not with another token.', 'session_required');
    if (input.ownerEmail && input.ownerEmail !== actor.email) {
      throw new Forbidden(
        'A token is created only by its owner, for themselves: automation gets a staff account of its own.',
        'token_for_other',
      );
    }
  }
  const ownerEmail = input.ownerEmail ?? (actor.kind === 'staff' ? actor.email : undefined);
  if (!ownerEmail)
    throw new Invalid('Name the account the token acts as (ownerEmail).', { fields: { ownerEmail: 'Required.' } });
  const token = PREFIX + randomBytes(32).toString('base64url');
  return db.$transaction(async (tx) => {
    const owner = await tx.staffUser.findUnique({ where: { email: ownerEmail } });
    if (!owner || owner.disabledAt) throw new NotFound(`No active staff account for ${ownerEmail}.`);
    const row = await tx.apiToken.create({
      data: {
        name: input.name,
        tokenHash: sha256Hex(token),
        prefix: token.slice(0, PREFIX.length + 6),
        ownerId: owner.id,
        // Every token expires: a stolen one stops working by itself if nobody notices it.
        expiresAt: new Date(Date.now() + (input.expiresInDays ?? config().API_TOKEN_TTL_DAYS) * 86_400_000),
        scope: input.scope ?? null,
      },
    });
    await recordAudit(tx, actor, {
      action: 'token.created',
      targetType: 'ApiToken',
      targetId: row.id,
      data: { owner: owner.email, name: row.name, expiresAt: row.expiresAt, scope: row.scope },
    });
    return {
      id: row.id,
      token,
      owner: owner.email,
      role: owner.role as Role,
      scope: input.scope ?? null,
      expiresAt: row.expiresAt,
    };
  });
}

type TokenRow = {
  id: string;
  scope: string | null;
  lastUsedAt: Date | null;
  ownerId: string;
  email: string;
  name: string;
  role: Role;
};

/**
 * The actor behind an `Authorization: Bearer …` value, or null if the token is not valid now.
 * Every API call asks, the exchange's login service once per login: one prepared statement on the
 * hot-path pool (lib/db/pool.ts), about a tenth of Prisma's cost per call.
 */
export async function actorFromBearer(token: string): Promise<StaffActor | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const {
    rows: [row],
  } = await pgPool().query<TokenRow>({
    name: 'api-token',
    text: `SELECT t.id, t.scope, t."lastUsedAt", u.id AS "ownerId", u.email, u.name, u.role::text AS role
             FROM "ApiToken" t JOIN "StaffUser" u ON u.id = t."ownerId"
            WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > now())
              AND u."disabledAt" IS NULL`,
    values: [sha256Hex(token)],
  });
  if (!row) return null;
  // Throttled so that a busy integration does not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await pgPool().query({
      name: 'api-token-used',
      text: `UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE id = $1::uuid`,
      values: [row.id],
    });
  }
  return {
    kind: 'staff',
    id: row.ownerId,
    email: row.email,
    name: row.name,
    role: row.role,
    via: 'token',
    tokenId: row.id,
    ...(row.scope ? { scope: row.scope as Scope } : {}),
  };
}

const tokenView = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  scope: true,
  owner: { select: { email: true, role: true } },
} as const;

/** Your own tokens; an ADMIN may ask for everyone's (`all`). Never the secret, only its prefix. */
export async function listApiTokens(actor: Actor, options: { all?: boolean } = {}) {
  assertCan(actor, 'console.read');
  if (options.all) assertCan(actor, 'token.manage');
  const rows = await db.apiToken.findMany({
    where: options.all || actor.kind !== 'staff' ? {} : { ownerId: actor.id },
    select: tokenView,
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
  });
  const now = new Date();
  return rows.map(({ owner, ...row }) => ({
    ...row,
    scope: row.scope as Scope | null, // the column's CHECK allows only the scopes the policy knows
    owner: owner.email,
    role: owner.role,
    active: !row.revokedAt && (!row.expiresAt || row.expiresAt > now),
  }));
}

/** Revokes a token at once: your own, or (ADMIN) anyone's. */
export async function revokeApiToken(actor: Actor, id: string) {
  assertCan(actor, 'console.read');
  if (!isUuid(id)) throw new NotFound(`No API token ${id}.`);
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id }, include: { owner: { select: { email: true } } } });
    const own = actor.kind === 'staff' && row?.ownerId === actor.id;
    if (!row || (!own && !can(actor, 'token.manage'))) throw new NotFound(`No API token ${id}.`);
    if (row.revokedAt) throw new Conflict('This token is already revoked.', 'no_change');
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: 'token.revoked',
      targetType: 'ApiToken',
      targetId: id,
      data: { owner: row.owner.email, name: row.name },
    });
    return { id, revoked: true as const };
  });
}
