// Small builders for tests: staff users of each role, acting as themselves.
import { Readable } from 'node:stream';
import { type StaffActor, systemActor } from '@/lib/auth/actor';
import type { Role } from '@/lib/auth/policy';
import { addChannel } from '@/lib/channels';
import { importCustomers } from '@/lib/customers/import';
import {
  approveDisclosure,
  createDisclosure,
  getDisclosure,
  publishDisclosure,
  reviseDisclosure,
  submitDisclosure,
} from '@/lib/disclosures';
import { ANTI_PHISHING_SECTION, BASE_SECTIONS, NEVER_ASK } from '@/lib/disclosures/gate';
import type { NOTICE_STATES } from '@/lib/disclosures/schema';
import { declareIncident } from '@/lib/incidents';
import { freezeMail } from '@/lib/mail/freeze';
import { approveReset, requestReset } from '@/lib/resets';
import { createStaff } from '@/lib/staff';
import { seedCustomers } from './customers';

let counter = 0;

export async function staffActor(
  role: Role,
  password = 'correct horse battery staple',
): Promise<StaffActor & { password: string }> {
  const email = `${role.toLowerCase()}${++counter}@test.local`;
  const { user } = await createStaff(systemActor('test'), { email, name: `${role} ${counter}`, role, password });
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, via: 'session', password };
}

/** What a test declares when the incident itself does not matter: a SEV1 data breach. */
export const BREACH = {
  title: 'Bulk mail leaked addresses',
  kind: 'DATA_BREACH',
  severity: 'SEV1',
  summary: 'To: instead of Bcc:',
} as const;

/** An incident declared by `by` (default: a new SECURITY user), and who declared it. */
export async function declaredIncident(by?: StaffActor) {
  const security = by ?? (await staffActor('SECURITY'));
  const incident = await declareIncident(security, BREACH);
  return { security, incident };
}

/**
 * Something pending for every write to act on: a customer `<prefix>1`, an incident (its
 * reference), a reset of all customers waiting for approval, a frozen BULK stream, a change of the
 * customer's email waiting for approval, and a notice in draft.
 */
export async function pendingWork(prefix: string) {
  await seedCustomers(1, { prefix });
  const { security, incident } = await declaredIncident();
  const campaign = await requestReset(security, incident.id, { scope: 'ALL' });
  await freezeMail(systemActor('test'), { streams: ['BULK'], reason: 'so that unfreeze has something to lift' });
  const { credentialChanges } = await importCustomers(
    security,
    Readable.from([`externalId,email\n${prefix}1,${prefix}-moved@customers.example\n`]),
    'csv',
    { requestCredentialChanges: { reason: 'a pending request for the approve and cancel writes' } },
  );
  const disclosure = await createDisclosure(security, incident.id, {
    title: 'Notice of Data Breach',
    body: 'A draft.',
  });
  const channel = await addChannel(security, { name: 'X', kind: 'X', handle: `@${prefix}` });
  return {
    incident,
    campaign,
    credentialChange: credentialChanges!.requestId,
    disclosure: disclosure.id,
    channel: channel.id,
  };
}

/** `customers` seeded customers and an approved reset of all of them (with their API keys revoked). */
export async function approvedResetOf(customers: number) {
  await seedCustomers(customers);
  const { security, incident } = await declaredIncident();
  const campaign = await requestReset(security, incident.id, { scope: 'ALL', revokeApiKeys: true });
  await approveReset(await staffActor('ADMIN'), campaign.id);
  return campaign;
}

/**
 * A notice body the gate accepts (lib/disclosures/gate.ts): every section, GDPR's included, and
 * the anti-phishing block naming `sender`, the `channels` and the verify URL under `publicUrl`.
 */
export function completeNoticeBody(options: { publicUrl: string; sender?: string; channels?: string[] }) {
  const sections = [...BASE_SECTIONS, 'Likely Consequences'].map((name) => `## ${name}\n\nSomething true about it.\n`);
  const channels = options.channels?.length ? ` Our channels: ${options.channels.join('; ')}.` : '';
  return `${sections.join('\n')}\n## ${ANTI_PHISHING_SECTION}\n\nWe write only from ${options.sender ?? 'security@firebreak.local'}.${channels} ${NEVER_ASK} Verify a notice at ${options.publicUrl}/status/verify.\n`;
}

/**
 * Publishes a text through the whole workflow: a new notice for `target.incident` (revision 1), or
 * the next revision of `target.notice`; submitted by `author`, approved by `approver`, published.
 * Returns the published notice as `getDisclosure` shows it.
 */
export async function publishedRevision(
  people: { author: StaffActor; approver: StaffActor },
  target: { incident: string } | { notice: string },
  content: { title: string; body: string; state?: (typeof NOTICE_STATES)[number] },
  notify: 'NONE' | 'AFFECTED' | 'ALL' = 'NONE',
) {
  const id =
    'incident' in target
      ? (await createDisclosure(people.author, target.incident, content)).id
      : (await reviseDisclosure(people.author, target.notice, content)).id;
  await submitDisclosure(people.author, id);
  const { latestRevision, revisions } = await getDisclosure(people.author, id);
  await approveDisclosure(people.approver, id, { revision: latestRevision, contentHash: revisions[0].contentHash });
  return publishDisclosure(people.author, id, { revision: latestRevision, notify });
}
