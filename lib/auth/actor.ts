// Whoever performs a write: a signed-in staff user, an API token acting as its owner, or the
// system (CLI, worker). The first argument of every domain operation.
import type { Role, Scope } from './policy';

export type StaffActor = {
  kind: 'staff';
  id: string;
  email: string;
  name: string;
  role: Role;
  via: 'session' | 'token';
  tokenId?: string;
  /** A scoped token's scope: it may do only that (lib/auth/policy.ts). */
  scope?: Scope;
};
export type SystemActor = { kind: 'system'; label: string };
export type Actor = StaffActor | SystemActor;

export const systemActor = (label: string): SystemActor => ({ kind: 'system', label });

/** The staff user's id, or null for the system. */
export const actorStaffId = (actor: Actor) => (actor.kind === 'staff' ? actor.id : null);
/** Who did it, as records and the audit log name them: the staff email, or the system's label. */
export const actorLabel = (actor: Actor) => (actor.kind === 'staff' ? actor.email : actor.label);
/** Who did it, as people read it on a timeline: the staff name, or the system's label. */
export const actorName = (actor: Actor) => (actor.kind === 'staff' ? actor.name : actor.label);
