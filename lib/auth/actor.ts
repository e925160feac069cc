// Whoever performs a write: a signed-in staff user, an API token acting as its owner, or the
// system (CLI, worker). The first argument of every domain operation.
import type { Role } from './policy';

export type StaffActor = {
  kind: 'staff';
  id: string;
  email: string;
  name: string;
  role: Role;
  via: 'session' | 'token';
  tokenId?: string;
};
export type SystemActor = { kind: 'system'; label: string };
export type Actor = StaffActor | SystemActor;

export const systemActor = (label: string): SystemActor => ({ kind: 'system', label });
