// Who may do what: the role → permission table of DESIGN.md, in one place. Every write calls
// assertCan(actor, permission) on the server; the UI only mirrors it (can(...)).

import { ROLES } from '@/lib/enums';
import { Forbidden } from '@/lib/errors';
import type { Actor } from './actor';

export { ROLES };
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const SECURITY: readonly Role[] = ['ADMIN', 'SECURITY'];

export const PERMISSIONS = {
  'console.read': ALL,
  'audit.read': ALL,
  'staff.manage': ['ADMIN'],
  'token.manage': ['ADMIN'],
  // Everyone may create tokens for their own account (lib/auth/tokens.ts), in a session.
  'token.create': ALL,
  'incident.declare': SECURITY,
  'incident.update': SECURITY,
  // Anyone in the war room may add a note to the timeline; notes never change state.
  'incident.note': ALL,
  'reset.request': SECURITY,
  'reset.approve': SECURITY,
  'mail.freeze': SECURITY,
  'mail.release': SECURITY,
  'channel.mark': SECURITY,
  'customers.import': SECURITY,
  // Importing a leaking tool's mail log into an incident (the blast radius); everyone reads the figures.
  'blast.import': SECURITY,
  // Drafting and publishing: comms, and security (who may be the only ones awake); approving is
  // someone else's act (lib/disclosures: never the revision's author).
  'disclosure.draft': ['ADMIN', 'COMMS', 'SECURITY'],
  'disclosure.publish': ['ADMIN', 'COMMS', 'SECURITY'],
  'disclosure.approve': ['ADMIN', 'SECURITY', 'EXECUTIVE'],
  // Whether a customer must reset their password (lib/customers/credential-status.ts): what the
  // exchange's own login service asks, with a token of the scope below.
  'customers.credential_status': ALL,
  // Where Firebreak sends signed webhooks (URLs inside the exchange, secrets): ADMIN only.
  'webhooks.manage': ['ADMIN'],
  // The Prometheus scrape (lib/metrics): counts and ages, what every role sees in the console.
  'metrics.read': ALL,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a scoped API token may do, whatever its owner's role: a token kept in another system (the
 * exchange's auth service) can then do that one thing, and nothing else if it leaks.
 */
export const SCOPES = {
  'credential-status:read': ['customers.credential_status'],
  // Prometheus' token: it may scrape /metrics and nothing else.
  'metrics:read': ['metrics.read'],
} as const satisfies Record<string, readonly Permission[]>;
export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as [Scope, ...Scope[]];

export function can(actor: Actor, permission: Permission): boolean {
  // The system actor is the CLI and the worker: trusted, bootstrap-level code paths.
  if (actor.kind === 'system') return true;
  if (actor.scope && !(SCOPES[actor.scope] as readonly Permission[]).includes(permission)) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    const who =
      actor.kind === 'system'
        ? 'Your role (system)'
        : actor.scope && (PERMISSIONS[permission] as readonly Role[]).includes(actor.role)
          ? `This token's scope (${actor.scope})`
          : `Your role (${actor.role})`;
    throw new Forbidden(`${who} may not ${permission.replace('.', ': ')}.`);
  }
}
