// Runtime configuration, read once from the environment and validated. Every setting is
// documented in the README ("Configuration"); the launcher (scripts/start.ts) fills the ones the
// embedded default needs.
import { z } from 'zod';
import { parseRegimes } from '@/lib/clocks';

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  /** Failed sign-ins in a row before a staff account is locked. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a locked staff account stays locked. */
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Staff sessions expire after this many hours. */
  SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(8),
  /** A worker counts as alive when its heartbeat is newer than this. */
  WORKER_STALE_SECONDS: z.coerce.number().int().min(5).default(30),
  /** Which regulatory regimes' clocks apply (comma-separated: GDPR,NYDFS,SEC,DORA,MAS; default all). */
  FIREBREAK_REGIMES: z.string().optional().transform((value, ctx) => {
    try {
      return parseRegimes(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= schema.parse(process.env);
  return cached;
}

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set. Start Firebreak with `npm start` (embedded database) or set DATABASE_URL.');
  return url;
}
