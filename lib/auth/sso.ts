// Staff single sign-on through the company's OpenID Connect provider (next-auth's OAuth flow with
// PKCE, state and nonce; the ID token is verified against the issuer's keys). What this decides:
//
// - A person is their issuer + `sub`, never their email: the first sign-in creates a staff account
//   keyed by both (audited as created by the system), later sign-ins find it again even when the
//   email changes. An email an existing account already uses is refused (an IdP must not be able
//   to take over a local break-glass account by naming its address), and so is an email the IdP
//   says is unverified.
// - The role comes from a claim (OIDC_ROLE_CLAIM, a string or list; a dotted path reaches nested
//   claims such as Keycloak's realm_access.roles) through OIDC_ROLE_MAP, at every sign-in: the IdP
//   is the source of truth, and a changed role is audited. Several mapped values: the most
//   powerful role wins. None: refused, audited, and the account's open sessions end (the IdP has
//   taken its role away) and its API tokens are revoked. An ADMIN who needs someone out before
//   their next sign-in disables the account here.
// - An SSO account is a staff account like any other: a disabled one is refused, sessions re-read
//   it on every request, and the two-person rules compare accounts, not how they signed in. It has
//   no password anyone knows (a random one, hashed): break-glass is a local account.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { config, STAFF_ROLES } from '@/lib/config';
import { db, type Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { type StaffActor, systemActor } from './actor';
import { hashPassword } from './passwords';

type Role = (typeof STAFF_ROLES)[number];

/** next-auth's name for the provider (its callback is /api/auth/callback/sso). */
export const SSO_PROVIDER_ID = 'sso';

export type SsoSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  roleClaim: string;
  roleMap: Map<string, Role>;
  displayName: string;
};

/** The SSO settings, or null when OIDC_ISSUER is not set (local accounts only). */
export function ssoSettings(): SsoSettings | null {
  const c = config();
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID || !c.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: c.OIDC_ISSUER,
    clientId: c.OIDC_CLIENT_ID,
    clientSecret: c.OIDC_CLIENT_SECRET,
    scopes: c.OIDC_SCOPES,
    roleClaim: c.OIDC_ROLE_CLAIM,
    roleMap: c.OIDC_ROLE_MAP,
    displayName: c.OIDC_DISPLAY_NAME,
  };
}

/** The values of a claim at a dotted path (`groups`, `realm_access.roles`): its strings, however nested in one list. */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    value =
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** The most powerful role any of the claim's values maps to, or null. */
export function roleFromClaims(claims: Record<string, unknown>, path: string, map: Map<string, Role>): Role | null {
  const roles = new Set(claimValues(claims, path).flatMap((v) => (map.has(v) ? [map.get(v)!] : [])));
  return STAFF_ROLES.find((role) => roles.has(role)) ?? null;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().trim().toLowerCase().email().max(254),
  email_verified: z.boolean().optional(),
  name: z.string().trim().max(200).optional(),
  preferred_username: z.string().trim().max(200).optional(),
});

export type SsoRefusal =
  | 'not_configured'
  | 'invalid_claims'
  | 'email_unverified'
  | 'no_role'
  | 'disabled'
  | 'email_in_use';
export type SsoResult = { ok: true; actor: StaffActor } | { ok: false; reason: SsoRefusal };

const auth = systemActor('auth');

/** The sign-in page's error code for a refusal (lib/auth/messages.ts says it in words). */
export const ssoErrorCode = (reason: SsoRefusal) =>
  `Sso${reason.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`;

/** Signs in (and on the first time creates) the staff account of an ID token's verified claims. */
export async function signInWithSso(raw: Record<string, unknown>): Promise<SsoResult> {
  const settings = ssoSettings();
  if (!settings) return { ok: false, reason: 'not_configured' };
  const parsed = claimsSchema.safeParse(raw);
  if (!parsed.success) {
    const sub = typeof raw.sub === 'string' ? raw.sub : null;
    return db.$transaction((tx) => refuse(tx, null, 'invalid_claims', { issuer: settings.issuer, sub }));
  }
  const claims = parsed.data;
  const role = roleFromClaims(raw, settings.roleClaim, settings.roleMap);
  // Hashed outside the transaction (argon2 takes tens of milliseconds); used only for a new account.
  const unusablePassword = await hashPassword(randomBytes(32).toString('base64url'));
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction((tx) => signIn(tx, settings, claims, role, unusablePassword, raw));
    } catch (error) {
      // Two first sign-ins of one person at once: the second finds the account the first made.
      if (attempt === 0 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') continue;
      throw error;
    }
  }
}

async function signIn(
  tx: Tx,
  settings: SsoSettings,
  claims: z.infer<typeof claimsSchema>,
  role: Role | null,
  unusablePassword: string,
  raw: Record<string, unknown>,
): Promise<SsoResult> {
  const identity = { issuer: settings.issuer, sub: claims.sub, email: claims.email };
  const existing = await tx.staffUser.findUnique({
    where: { ssoIssuer_ssoSubject: { ssoIssuer: settings.issuer, ssoSubject: claims.sub } },
  });
  if (claims.email_verified === false) return refuse(tx, existing?.id ?? null, 'email_unverified', identity);
  if (!role) {
    // The IdP no longer gives this person a role: whatever session they still hold ends now, and
    // their API tokens stop (they acted with the role the provider has taken away).
    let tokensRevoked = 0;
    if (existing) {
      const now = new Date();
      await tx.staffUser.update({ where: { id: existing.id }, data: { sessionsValidAfter: now } });
      ({ count: tokensRevoked } = await tx.apiToken.updateMany({
        where: { ownerId: existing.id, revokedAt: null },
        data: { revokedAt: now },
      }));
    }
    return refuse(tx, existing?.id ?? null, 'no_role', {
      ...identity,
      tokensRevoked,
      claim: settings.roleClaim,
      values: claimValues(raw, settings.roleClaim).slice(0, 20),
    });
  }
  if (existing?.disabledAt) return refuse(tx, existing.id, 'disabled', identity);
  const name = claims.name || claims.preferred_username || claims.email;
  if (!existing || existing.email !== claims.email) {
    const holder = await tx.staffUser.findUnique({ where: { email: claims.email }, select: { id: true } });
    if (holder && holder.id !== existing?.id) return refuse(tx, existing?.id ?? null, 'email_in_use', identity);
  }
  let user = existing;
  if (!user) {
    user = await tx.staffUser.create({
      data: {
        email: claims.email,
        name,
        role,
        passwordHash: unusablePassword,
        ssoIssuer: settings.issuer,
        ssoSubject: claims.sub,
        lastLoginAt: new Date(),
      },
    });
    await recordAudit(tx, auth, {
      action: 'staff.created',
      targetType: 'StaffUser',
      targetId: user.id,
      data: { ...identity, role, via: 'sso' },
    });
  } else {
    if (user.role !== role) {
      await recordAudit(tx, auth, {
        action: 'staff.role_changed',
        targetType: 'StaffUser',
        targetId: user.id,
        data: { email: claims.email, from: user.role, to: role, via: 'sso' },
      });
    }
    user = await tx.staffUser.update({
      where: { id: user.id },
      data: { role, email: claims.email, name, lastLoginAt: new Date(), failedLoginCount: 0, lockedUntil: null },
    });
  }
  await recordAudit(tx, auth, {
    action: 'staff.signed_in',
    targetType: 'StaffUser',
    targetId: user.id,
    data: { email: user.email, via: 'sso', issuer: settings.issuer },
  });
  return {
    ok: true,
    actor: { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' },
  };
}

async function refuse(
  tx: Tx,
  targetId: string | null,
  reason: SsoRefusal,
  data: Record<string, unknown>,
): Promise<SsoResult> {
  await recordAudit(tx, auth, {
    action: 'staff.sso_refused',
    targetType: 'StaffUser',
    targetId: targetId ?? undefined,
    data: { ...data, reason },
  });
  return { ok: false, reason };
}
