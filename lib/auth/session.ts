// Resolving the actor of a request: a next-auth session (console) or a Bearer token (automation).
// The staff row is read on every request: disabled accounts and role changes apply immediately.
import 'server-only';
import { redirect } from 'next/navigation';
import { getServerSession } from 'next-auth';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { Unauthenticated } from '@/lib/errors';
import type { StaffActor } from './actor';
import { authOptions } from './next-auth';
import { actorFromBearer } from './tokens';

export async function actorFromSession(): Promise<StaffActor | null> {
  const session = await getServerSession(authOptions());
  const { id, signedInAt } = (session?.user as { id?: string; signedInAt?: number } | undefined) ?? {};
  if (!id) return null;
  const user = await db.staffUser.findUnique({ where: { id } });
  if (!user || !sessionStillValid(user, signedInAt ?? 0)) return null;
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' };
}

/**
 * A session of an account stays valid while the account is enabled, it was signed in after the
 * account's sessionsValidAfter (set when it was disabled or its two-factor sign-in reset: so a
 * stolen cookie does not come back to life when the account is enabled again), and it was signed
 * in less than SESSION_MAX_AGE_HOURS ago. next-auth renews the cookie's own expiry whenever the
 * session is read; the sign-in time does not move, so a session cannot be kept alive for ever.
 */
export function sessionStillValid(
  user: { disabledAt: Date | null; sessionsValidAfter: Date | null },
  signedInAt: number,
): boolean {
  if (user.disabledAt) return false;
  if (Date.now() - signedInAt >= config().SESSION_MAX_AGE_HOURS * 3_600_000) return false;
  return !user.sessionsValidAfter || signedInAt > user.sessionsValidAfter.getTime();
}

/** For API routes: Bearer token if the request carries one, else the session cookie. */
export async function actorFromRequest(request: Request): Promise<StaffActor> {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await actorFromBearer(match[1]) : null;
    if (!actor) throw new Unauthenticated('The API token is not valid (unknown, revoked or expired).');
    return actor;
  }
  const actor = await actorFromSession();
  if (!actor) throw new Unauthenticated();
  return actor;
}

/** For console pages and server actions: the signed-in staff user, or off to the sign-in page. */
export async function requireStaff(): Promise<StaffActor> {
  const actor = await actorFromSession();
  if (!actor) redirect('/signin');
  return actor;
}
