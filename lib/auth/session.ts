// Resolving the actor of a request: a next-auth session (console) or a Bearer token (automation).
// The staff row is read on every request: disabled accounts and role changes apply immediately.
import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
import { Unauthenticated } from '@/lib/errors';
import type { StaffActor } from './actor';
import { authOptions } from './next-auth';
import { actorFromBearer } from './tokens';

export async function actorFromSession(): Promise<StaffActor | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id ?? null;
  if (!id) return null;
  const user = await db.staffUser.findUnique({ where: { id } });
  if (!user || user.disabledAt) return null;
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' };
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
