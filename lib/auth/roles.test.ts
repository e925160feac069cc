// Every write of lib/ refuses, by itself, each role DESIGN.md does not give it — whichever adapter
// (server action, API route, CLI) calls it — and writes nothing when it does. The allowed roles
// are written out here from DESIGN.md's role table, not read from lib/auth/policy.ts.
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/policy';
import { createApiToken } from '@/lib/auth/tokens';
import { resetStaffTotp } from '@/lib/auth/totp';
import { addChannel, markChannel } from '@/lib/channels';
import { approveCredentialChanges, cancelCredentialChanges } from '@/lib/customers/credential-changes';
import { importCustomers } from '@/lib/customers/import';
import {
  approveDisclosure,
  createDisclosure,
  publishDisclosure,
  reviseDisclosure,
  submitDisclosure,
} from '@/lib/disclosures';
import { Forbidden } from '@/lib/errors';
import { addNote, declareIncident, recordMilestone, updateIncident } from '@/lib/incidents';
import { freezeMail, unfreezeMail } from '@/lib/mail/freeze';
import { cancelHeld, releaseHeld } from '@/lib/mail/outbox';
import { approveReset, cancelReset, markAffected, requestReset } from '@/lib/resets';
import { changeStaffRole, createStaff, disableStaff, enableStaff, unlockStaff } from '@/lib/staff';
import { createWebhookEndpoint, disableWebhookEndpoint, replayWebhookDelivery } from '@/lib/webhooks';
import { pendingWork, staffActor } from '../../test/fixtures';
import { databaseFingerprint } from '../../test/sql';

type Ctx = { incident: string; campaign: string; credentialChange: string; disclosure: string; channel: string };
type Actor = Awaited<ReturnType<typeof staffActor>>;
const ROLES: Role[] = ['ADMIN', 'SECURITY', 'COMMS', 'EXECUTIVE'];
const SECURITY: Role[] = ['ADMIN', 'SECURITY'];
const DRAFTERS: Role[] = ['ADMIN', 'COMMS', 'SECURITY'];

const writes: [string, Role[], (actor: Actor, ctx: Ctx) => Promise<unknown>][] = [
  [
    'declareIncident',
    SECURITY,
    (a) => declareIncident(a, { title: 'Leak', kind: 'DATA_BREACH', severity: 'SEV1', summary: 's' }),
  ],
  ['updateIncident', SECURITY, (a, c) => updateIncident(a, c.incident, { severity: 'SEV2' })],
  ['recordMilestone', SECURITY, (a, c) => recordMilestone(a, c.incident, { kind: 'DETERMINED' })],
  ['markAffected', SECURITY, (a, c) => markAffected(a, c.incident, ['roles1'])],
  ['requestReset', SECURITY, (a, c) => requestReset(a, c.incident, { scope: 'ALL' })],
  ['approveReset', SECURITY, (a, c) => approveReset(a, c.campaign)],
  ['cancelReset', SECURITY, (a, c) => cancelReset(a, c.campaign)],
  ['freezeMail', SECURITY, (a) => freezeMail(a, { streams: ['TRANSACTIONAL'], reason: 'test' })],
  ['unfreezeMail', SECURITY, (a) => unfreezeMail(a, { streams: ['BULK'], reason: 'test' })],
  ['releaseHeld', SECURITY, (a) => releaseHeld(a, {})],
  ['cancelHeld', SECURITY, (a) => cancelHeld(a, {})],
  [
    'importCustomers',
    SECURITY,
    (a) => importCustomers(a, Readable.from(['externalId,email\nroles-new,roles-new@customers.example\n']), 'csv'),
  ],
  [
    'createStaff',
    ['ADMIN'],
    (a) =>
      createStaff(a, { email: `new-${a.email}`, name: 'New', role: 'ADMIN', password: 'a long enough password 1' }),
  ],
  ['createApiToken', ROLES, (a) => createApiToken(a, { name: 'mine' })],
  ['resetStaffTotp', ['ADMIN'], (a) => resetStaffTotp(a, { email: a.email })],
  ['unlockStaff', ['ADMIN'], (a) => unlockStaff(a, { email: a.email })],
  ['disableStaff', ['ADMIN'], (a) => disableStaff(a, { email: `victim-${a.role}@test.local`, reason: 'stolen' })],
  ['enableStaff', ['ADMIN'], (a) => enableStaff(a, { email: `victim-${a.role}@test.local`, reason: 'found' })],
  [
    'changeStaffRole',
    ['ADMIN'],
    (a) => changeStaffRole(a, { email: a.email, role: 'ADMIN', reason: 'promote myself' }),
  ],
  ['addNote', ROLES, (a, c) => addNote(a, c.incident, { message: 'a note' })],
  ['approveCredentialChanges', SECURITY, (a, c) => approveCredentialChanges(a, c.credentialChange)],
  ['cancelCredentialChanges', SECURITY, (a, c) => cancelCredentialChanges(a, c.credentialChange)],
  ['createDisclosure', DRAFTERS, (a, c) => createDisclosure(a, c.incident, { title: 'T', body: 'B' })],
  ['reviseDisclosure', DRAFTERS, (a, c) => reviseDisclosure(a, c.disclosure, { title: 'T', body: 'Revised.' })],
  ['submitDisclosure', DRAFTERS, (a, c) => submitDisclosure(a, c.disclosure)],
  [
    'approveDisclosure',
    ['ADMIN', 'SECURITY', 'EXECUTIVE'],
    (a, c) => approveDisclosure(a, c.disclosure, { revision: 1, contentHash: 'a'.repeat(64) }),
  ],
  ['publishDisclosure', DRAFTERS, (a, c) => publishDisclosure(a, c.disclosure, { revision: 1 })],
  ['addChannel', SECURITY, (a) => addChannel(a, { name: 'Blog', kind: 'BLOG', handle: `blog-${a.role}.example` })],
  ['markChannel', SECURITY, (a, c) => markChannel(a, c.channel, { status: 'COMPROMISED', reason: 'the roles test' })],
  [
    'createWebhookEndpoint',
    ['ADMIN'],
    (a) => createWebhookEndpoint(a, { url: 'https://93.184.216.34/hook', events: ['reset.effective'] }),
  ],
  ['disableWebhookEndpoint', ['ADMIN'], (a) => disableWebhookEndpoint(a, '00000000-0000-4000-8000-000000000000')],
  ['replayWebhookDelivery', ['ADMIN'], (a) => replayWebhookDelivery(a, '00000000-0000-4000-8000-000000000000')],
];

let ctx: Ctx;
const actors = {} as Record<Role, Actor>;
beforeAll(async () => {
  for (const role of ROLES) actors[role] = await staffActor(role);
  const { incident, campaign, credentialChange, disclosure, channel } = await pendingWork('roles');
  ctx = { incident: incident.id, campaign: campaign.id, credentialChange, disclosure, channel };
});

describe('each write refuses the roles that may not do it, and changes nothing', () => {
  const cases = writes.flatMap(([name, allowed, run]) =>
    ROLES.filter((role) => !allowed.includes(role)).map((role) => [name, role, run] as const),
  );
  it.each(cases)('%s refuses %s', async (_, role, run) => {
    const before = await databaseFingerprint();
    await expect(run(actors[role], ctx)).rejects.toThrow(Forbidden);
    expect(await databaseFingerprint()).toEqual(before);
  });

  it('the table names every role of the policy for every write (open to all: own tokens, notes)', () => {
    expect(writes.filter(([, allowed]) => allowed.length === ROLES.length).map(([name]) => name)).toEqual([
      'createApiToken',
      'addNote',
    ]);
  });
});
