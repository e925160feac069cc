// Runtime configuration, read once from the environment and validated. Every setting is
// documented in the README ("Configuration"); the launcher (scripts/start.ts) fills the ones the
// embedded default needs.
import { z } from 'zod';
import { parseRegimes } from '@/lib/clocks';

/** Staff roles, most powerful first (the database's StaffRole enum). */
export const STAFF_ROLES = ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE'] as const;

/** The JSON logs' threshold (lib/log.ts). */
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * LOG_LEVEL alone: the logger is made when lib/log.ts is first imported, before anything else is
 * configured (and before a test has set its environment), so it must not parse all the rest.
 */
export function configuredLogLevel(): z.infer<typeof logLevel> {
  return logLevel.parse(process.env.LOG_LEVEL || undefined);
}

const schema = z
  .object({
    LOG_LEVEL: logLevel,
    DATABASE_URL: z.string().url().optional(),
    /** Connections per pool of a process (Prisma's, and the customer login's). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** The console's own URL (next-auth reads it too); the Origin check and links fall back to it. */
    NEXTAUTH_URL: z.string().url().optional(),
    /** The demo staff accounts' password (tests); generated and printed when unset. */
    FIREBREAK_DEMO_PASSWORD: z.string().optional(),
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
    /** Failed sign-ins in a row before a staff account is locked. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    /** How long a locked staff account stays locked. */
    LOGIN_LOCKOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** Failed customer logins in a row before the account's login locks (the reset link still works). */
    CUSTOMER_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
    /** How long a customer's login stays locked. */
    CUSTOMER_LOGIN_LOCKOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** Staff sessions expire after this many hours. */
    SESSION_MAX_AGE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24)
      .default(8),
    /** An approver whose account the requester created or changed this recently cannot approve (lib/auth/approval.ts). */
    APPROVAL_INDEPENDENCE_HOURS: z.coerce
      .number()
      .min(1)
      .max(24 * 365)
      .default(24),
    /** Approvers must have two-factor sign-in (recommended in production). */
    APPROVER_TOTP_REQUIRED: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** Lifetime of an API token created without expiresInDays. */
    API_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Ed25519 private key (PKCS#8 PEM) the worker signs audit checkpoints with; keep it off the database host (`firebreak audit keygen`). */
    AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /** File the worker appends each signed checkpoint to (JSON Lines), for shipping off the machine. */
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    /** Public key `firebreak audit verify` trusts, when it does not have the signing key. */
    AUDIT_VERIFY_KEY_FILE: z.string().min(1).optional(),
    /** A worker counts as alive when its heartbeat is newer than this. */
    WORKER_STALE_SECONDS: z.coerce.number().int().min(5).default(30),
    /** Outbound SMTP server, e.g. smtp://user:pass@relay:587. `npm start` points it at the embedded sink. */
    SMTP_URL: z.string().url().optional(),
    /** Whether the SMTP side can say if a Message-ID was accepted: `sink` (the embedded sink) or `none`. */
    SMTP_DELIVERY_CHECK: z.enum(['sink', 'none']).default('none'),
    MAIL_FROM: z.string().min(3).default('Firebreak Security <security@firebreak.local>'),
    MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
    MAIL_RATE_PER_SECOND: z.coerce.number().int().min(0).default(0),
    MAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2000),
    MAIL_LEASE_SECONDS: z.coerce.number().min(0.5).default(60),
    /**
     * Webhook endpoints on loopback, link-local (cloud metadata), private or unique-local addresses
     * are refused, by name and by what the name resolves to at each delivery, unless this is true
     * (a receiver inside the exchange's own network, the tests).
     */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** A delivery that failed this many times is DEAD (a person may replay it). */
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
    /** The first retry's wait; each next one doubles it (with jitter), up to an hour. */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** The console's public URL, used in links sent to customers (default: NEXTAUTH_URL). */
    FIREBREAK_PUBLIC_URL: z.string().url().optional(),
    RESET_TOKEN_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(72),
    RESET_CHUNK_SIZE: z.coerce.number().int().min(100).max(100_000).default(5000),
    /** Slices of the customer id space a reset fans out in parallel (one connection each per worker). */
    NOTICE_CHUNK_SIZE: z.coerce.number().int().min(1).max(100_000).default(20_000), // customers per notice-mail transaction (a freeze waits for one)
    RESET_PARTITIONS: z.coerce.number().int().min(1).max(16).default(3), // one more than 2 cores: a partition waiting on its commit leaves the CPU to the others
    /** The exchange's name and its contact for customers, as notices print them. */
    FIREBREAK_EXCHANGE_NAME: z.string().trim().min(1).max(120).default('Firebreak Demo Exchange'),
    FIREBREAK_CONTACT: z.string().trim().min(3).max(300).default('security@firebreak.local'),
    /** Confirmation mails the status page's "Get notices by email" sends per minute, all addresses together (then 429). */
    STATUS_SUBSCRIBE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    /** The logo on the public status page: a path on this server (/logo.svg) or an https:// address. */
    FIREBREAK_LOGO_URL: z
      .string()
      .trim()
      .regex(/^(\/(?!\/)|https:\/\/)/, 'FIREBREAK_LOGO_URL is a path on this server (/logo.svg) or an https:// address')
      .default('/icon.svg'),
    /** The Ed25519 key that signs published notices: a PKCS#8 PEM, or the path of a file holding one. */
    FIREBREAK_SIGNING_KEY: z.string().min(1).optional(),
    /** Earlier notice keys' public halves (PEM files, `,`-separated): notices they signed still verify. */
    FIREBREAK_SIGNING_PUBLIC_KEYS: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? '')
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean),
      ),
    /**
     * Roles of which one approval each is needed before a notice is published (`,`-separated, e.g.
     * EXECUTIVE,SECURITY). Empty (the default): one approval by anyone who may approve, not the author.
     */
    DISCLOSURE_APPROVERS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        const roles = (value ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const wrong = roles.filter((r) => !['ADMIN', 'SECURITY', 'EXECUTIVE'].includes(r));
        if (wrong.length) {
          ctx.addIssue({
            code: 'custom',
            message: `DISCLOSURE_APPROVERS: ${wrong.join(', ')} may not approve notices`,
          });
          return z.NEVER;
        }
        return roles as ('ADMIN' | 'SECURITY' | 'EXECUTIVE')[];
      }),
    /** Which regulatory regimes' clocks apply (comma-separated: GDPR,NYDFS,SEC,DORA,MAS; default all). */
    FIREBREAK_REGIMES: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parseRegimes(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** Staff single sign-on (lib/auth/sso.ts): the OpenID Connect issuer's URL. Unset: local accounts only. */
    OIDC_ISSUER: z
      .string()
      .url()
      .refine(
        (url) => /^https:\/\//.test(url) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(url),
        "OIDC_ISSUER must be https:// (the provider's signing keys come from there); http:// only on loopback",
      )
      .optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The scopes asked for: add the one your provider puts the role claim under (Okta: groups). */
    OIDC_SCOPES: z.string().trim().min(1).default('openid email profile'),
    /** The ID-token claim that carries a person's groups or role: a string or a list of strings. */
    OIDC_ROLE_CLAIM: z.string().trim().min(1).default('groups'),
    /**
     * Which claim values give which role (`,`-separated `value=ROLE`, e.g.
     * `fb-admins=ADMIN,fb-security=SECURITY`). Someone with none of these values is refused.
     */
    OIDC_ROLE_MAP: z
      .string()
      .optional()
      .transform((value, ctx) => {
        const map = new Map<string, (typeof STAFF_ROLES)[number]>();
        for (const pair of (value ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const at = pair.lastIndexOf('=');
          const claim = pair.slice(0, at).trim();
          const role = pair.slice(at + 1).trim();
          if (at <= 0 || !claim || !(STAFF_ROLES as readonly string[]).includes(role)) {
            ctx.addIssue({
              code: 'custom',
              message: `OIDC_ROLE_MAP: "${pair}" is not value=ROLE (ROLE one of ${STAFF_ROLES.join(', ')})`,
            });
            return z.NEVER;
          }
          map.set(claim, role as (typeof STAFF_ROLES)[number]);
        }
        return map;
      }),
    /** The sign-in button's words: "Continue with …". */
    OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  })
  .superRefine((c, ctx) => {
    if (!c.OIDC_ISSUER) return;
    const missing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((k) => !c[k]);
    if (!c.OIDC_ROLE_MAP.size) missing.push('OIDC_ROLE_MAP' as never);
    if (missing.length)
      ctx.addIssue({
        code: 'custom',
        message: `OIDC_ISSUER is set: ${missing.join(', ')} must be set too (README, "Staff single sign-on")`,
      });
  });

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= schema.parse(process.env);
  return cached;
}

/** Where customers' links point: FIREBREAK_PUBLIC_URL, else NEXTAUTH_URL (undefined if neither). */
export function publicUrl(): string | undefined {
  return config().FIREBREAK_PUBLIC_URL ?? config().NEXTAUTH_URL;
}

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'DATABASE_URL is not set. Start Firebreak with `npm start` (embedded database) or set DATABASE_URL.',
    );
  return url;
}
