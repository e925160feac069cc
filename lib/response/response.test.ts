import { describe, expect, it } from 'vitest';

const PUBLIC_URL = 'https://status.exchange.example';
process.env.FIREBREAK_PUBLIC_URL = PUBLIC_URL; // a notice names where it is published (read when first used)

import type { StaffActor } from '@/lib/auth/actor';
import { addChannel, markChannel } from '@/lib/channels';
import { byDueTime, type Clock, clockUrgency } from '@/lib/clocks';
import { db } from '@/lib/db';
import { approveDisclosure, createDisclosure, getDisclosure, submitDisclosure } from '@/lib/disclosures';
import { formError } from '@/lib/form-state';
import { declareIncident, getIncident } from '@/lib/incidents';
import { declareIncidentInput } from '@/lib/incidents/schema';
import { freezeMail, frozenStreams, unfreezeMail } from '@/lib/mail/freeze';
import { approveReset, campaignPhase, getReset, requestReset, resumeResetMail } from '@/lib/resets';
import { createResetRunner } from '@/lib/resets/fanout';
import { parseInput } from '@/lib/validation';
import { seedCustomers } from '../../test/customers';
import { BREACH, completeNoticeBody, staffActor } from '../../test/fixtures';
import { until } from '../../test/until';
import { awaitingApproval } from './approvals';
import { RUNBOOK_FREEZE, responseState } from './index';

const stepsFor = async (actor: StaffActor, reference: string) => {
  const { steps, ...rest } = await responseState(actor, await getIncident(actor, reference));
  return { step: (id: string) => steps.find((s) => s.id === id)!, steps, ...rest };
};

describe('the response checklist', () => {
  it('walks a whole response, offering each step’s action only to whoever may take it, and never dead-ends on held reset mail', async () => {
    await seedCustomers(30, { prefix: 'runbook' });
    const customers = await db.customer.count();
    const requester = await staffActor('SECURITY');
    const approver = await staffActor('ADMIN');
    const comms = await staffActor('COMMS');
    const incident = await declareIncident(requester, BREACH);
    const ref = incident.reference;

    let view = await stepsFor(requester, ref);
    expect(view.steps.map((s) => s.id)).toEqual([
      'declared',
      'freeze',
      'reset-requested',
      'reset-approved',
      'reset-mail',
      'notice-drafted',
      'notice-approved',
      'notice-published',
      'regulators',
    ]);
    expect(view.step('declared').state).toBe('done');
    expect(view.step('freeze')).toMatchObject({ state: 'open', action: { kind: 'freeze', reference: ref } });
    expect(view.step('reset-requested').action).toEqual({ kind: 'link', href: '#reset', label: 'Request the reset' });
    expect(view.step('regulators')).toMatchObject({ state: 'open', action: { href: '#clocks' } });
    // COMMS reads the same checklist but is offered only what COMMS may do: the notice.
    const forComms = await stepsFor(comms, ref);
    expect(forComms.steps.filter((s) => s.action).map((s) => s.id)).toEqual(['notice-drafted']);

    // The runbook's freeze belongs to the incident: on its timeline, in the header's state.
    await freezeMail(requester, { streams: RUNBOOK_FREEZE, reason: 'stop the leaking tool', incident: ref });
    view = await stepsFor(requester, ref);
    expect(view.step('freeze').state).toBe('done');
    expect(view.freeze?.streams).toEqual(['TRANSACTIONAL', 'BULK']);
    const timeline = async () => (await getIncident(requester, ref)).timeline.map((e) => e.message);
    expect(await timeline()).toContainEqual(
      expect.stringMatching(
        /^Mail frozen: TRANSACTIONAL, BULK \(0 queued message\(s\) held\)\. stop the leaking tool$/,
      ),
    );

    // Requested: the requester waits (no button); the second person is asked, on every page.
    const campaign = await requestReset(requester, ref, { scope: 'ALL', sendMail: true });
    expect((await stepsFor(requester, ref)).step('reset-approved')).toMatchObject({ state: 'waiting' });
    expect((await stepsFor(requester, ref)).step('reset-approved').action).toBeUndefined();
    expect((await stepsFor(approver, ref)).step('reset-approved')).toMatchObject({
      state: 'open',
      action: { href: '#reset' },
    });
    expect(await awaitingApproval(approver)).toContainEqual(
      expect.objectContaining({ id: campaign.id, href: `/incidents/${ref}#reset` }),
    );
    expect((await awaitingApproval(requester)).map((a) => a.id)).not.toContain(campaign.id);
    expect(await awaitingApproval(comms)).toEqual([]);

    // Someone also froze SECURITY (the reset mail's stream): the fan-out finishes, the mail is held,
    // and the campaign says "waiting", not a green "completed".
    await freezeMail(requester, { streams: ['SECURITY'], reason: 'freeze everything', incident: ref });
    await approveReset(approver, campaign.id);
    expect((await awaitingApproval(approver)).map((a) => a.id)).not.toContain(campaign.id);
    const runner = createResetRunner({ databaseUrl: process.env.DATABASE_URL! });
    await runner.start();
    await until(async () => (await getReset(approver, campaign.id)).status === 'COMPLETED', 30_000, 100);
    await runner.stop();
    const held = await getReset(approver, campaign.id);
    expect(held.mail.held).toBe(customers);
    expect(campaignPhase(held)).toEqual({ label: `waiting: ${customers} reset mails held`, tone: 'warn' });
    view = await stepsFor(requester, ref);
    expect(view.step('reset-mail')).toMatchObject({
      state: 'blocked',
      action: { kind: 'resume-reset-mail', campaignId: campaign.id, held: customers },
    });
    expect((await stepsFor(comms, ref)).step('reset-mail').action).toBeUndefined();

    // The one way out: SECURITY unfrozen and exactly this campaign's mail released; BULK stays frozen.
    expect(await resumeResetMail(requester, campaign.id, 'customers need their links')).toEqual({
      released: customers,
      stillFrozen: 0,
    });
    expect(await frozenStreams()).toEqual(['TRANSACTIONAL', 'BULK']);
    const resumed = await getReset(approver, campaign.id);
    expect(resumed.mail).toMatchObject({ held: 0, queued: customers });
    expect(campaignPhase(resumed).label).toBe('sending reset mail');
    expect((await stepsFor(requester, ref)).step('reset-mail')).toMatchObject({ state: 'waiting' });
    expect(await timeline()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Mail unfrozen: SECURITY/),
        `${customers} held message(s) released to the queue.`,
      ]),
    );

    // The notice: drafted by COMMS, who is then pointed at submitting it.
    const notice = await createDisclosure(comms, ref, {});
    const forCommsNow = await stepsFor(comms, ref);
    expect(forCommsNow.step('notice-drafted').state).toBe('done');
    expect(forCommsNow.step('notice-approved')).toMatchObject({
      title: 'Submit the notice for approval',
      action: { href: `/disclosures/${notice.id}` },
    });
    // An executive approves notices but does not write them: nothing to do until it is submitted.
    expect((await stepsFor(await staffActor('EXECUTIVE'), ref)).step('notice-approved')).toMatchObject({
      state: 'open',
      action: undefined,
    });
  });

  it('a notice in review: its author waits (no button, no banner); another approver is asked until they approve', async () => {
    const author = await staffActor('SECURITY');
    const approver = await staffActor('EXECUTIVE');
    const incident = await declareIncident(author, BREACH);
    const notice = await createDisclosure(author, incident.reference, {
      title: 'Notice of Data Breach',
      body: completeNoticeBody({ publicUrl: PUBLIC_URL }),
    });
    await submitDisclosure(author, notice.id);
    expect((await stepsFor(author, incident.reference)).step('notice-approved')).toMatchObject({
      state: 'waiting',
      action: undefined,
    });
    expect((await awaitingApproval(author)).map((a) => a.id)).not.toContain(notice.id);
    expect((await stepsFor(approver, incident.reference)).step('notice-approved')).toMatchObject({
      state: 'open',
      action: { href: `/disclosures/${notice.id}` },
    });
    expect(await awaitingApproval(approver)).toContainEqual(
      expect.objectContaining({ id: notice.id, href: `/disclosures/${notice.id}` }),
    );
    const { latestRevision, revisions } = await getDisclosure(approver, notice.id);
    await approveDisclosure(approver, notice.id, { revision: latestRevision, contentHash: revisions[0].contentHash });
    expect((await awaitingApproval(approver)).map((a) => a.id)).not.toContain(notice.id);
    expect((await stepsFor(author, incident.reference)).step('notice-published')).toMatchObject({
      state: 'open',
      action: { label: 'Publish' },
    });
  });

  it('a reset that stopped (the recipient guard refused a row) is a blocked step with "Request a new reset", not a wait', async () => {
    await seedCustomers(3, { prefix: 'stopped' });
    const requester = await staffActor('SECURITY');
    const incident = await declareIncident(requester, BREACH);
    const campaign = await requestReset(requester, incident.reference, { scope: 'ALL' });
    await approveReset(await staffActor('ADMIN'), campaign.id);
    // What the fan-out writes when the outbox refuses a recipient (lib/resets/fanout.ts).
    await db.resetCampaign.update({
      where: { id: campaign.id },
      data: { status: 'FAILED', lastError: 'recipient refused: two addresses' },
    });
    expect((await stepsFor(requester, incident.reference)).step('reset-mail')).toMatchObject({
      state: 'blocked',
      title: 'The reset stopped',
      detail: expect.stringContaining('recipient refused: two addresses'),
      action: { href: '#reset', label: 'Request a new reset' },
    });
  });

  it('a hijacked official account: mark the channel first; the freeze and the reset are not needed unless taken', async () => {
    const security = await staffActor('SECURITY');
    // Unfrozen, whatever another test of this file froze: a freeze already in force counts as done.
    const before = await frozenStreams();
    if (before.length) await unfreezeMail(security, { streams: before, reason: 'start unfrozen' });
    const incident = await declareIncident(security, {
      ...BREACH,
      kind: 'SOCIAL_ACCOUNT_COMPROMISE',
      severity: 'SEV3',
    });
    let view = await stepsFor(security, incident.reference);
    expect(view.steps.map((s) => s.id).slice(0, 3)).toEqual(['declared', 'channel', 'freeze']);
    expect(view.step('channel')).toMatchObject({ state: 'open', action: { href: '/channels' } });
    for (const id of ['freeze', 'reset-requested', 'reset-approved', 'reset-mail'])
      expect(view.step(id)).toMatchObject({ state: 'skipped', action: undefined });
    const channel = await addChannel(security, { name: 'Telegram', kind: 'TELEGRAM', handle: '@runbook_support' });
    await markChannel(security, channel.id, {
      status: 'COMPROMISED',
      reason: 'a fake support account',
      incident: incident.id,
    });
    view = await stepsFor(security, incident.reference);
    expect(view.step('channel').state).toBe('done');
    // Taken anyway, a reset is counted as it is.
    await seedCustomers(2, { prefix: 'hijack' });
    await requestReset(security, incident.reference, { scope: 'ALL' });
    expect((await stepsFor(security, incident.reference)).step('reset-requested').state).toBe('done');
  });

  it('a closed incident offers no actions', async () => {
    const security = await staffActor('SECURITY');
    const incident = await declareIncident(security, BREACH);
    await db.incident.update({ where: { id: incident.id }, data: { status: 'CLOSED' } });
    const { steps } = await stepsFor(security, incident.reference);
    expect(steps.filter((s) => s.action)).toEqual([]);
  });
});

describe('clocks in the order to work them', () => {
  const clock = (id: string, state: Clock['state'], minutes: number | null): Clock =>
    ({
      id,
      state,
      remainingMs: minutes === null ? null : minutes * 60_000,
      dueAt: minutes === null ? null : new Date(Date.UTC(2026, 0, 1) + minutes * 60_000),
    }) as Clock;

  it('red under an hour or overdue, amber under 12 hours; open clocks first, by due time', () => {
    expect(clockUrgency(clock('a', 'RUNNING', 14))).toBe('critical');
    expect(clockUrgency(clock('a', 'RUNNING', 59))).toBe('critical');
    expect(clockUrgency(clock('a', 'RUNNING', 61))).toBe('soon');
    expect(clockUrgency(clock('a', 'RUNNING', 11 * 60))).toBe('soon');
    expect(clockUrgency(clock('a', 'RUNNING', 3 * 24 * 60))).toBe('later');
    expect(clockUrgency(clock('a', 'OVERDUE', -5))).toBe('overdue');
    expect(clockUrgency(clock('a', 'MET', null))).toBe('closed');
    const sorted = byDueTime([
      clock('three-days', 'RUNNING', 3 * 24 * 60),
      clock('met', 'MET', null),
      clock('one-hour', 'RUNNING', 14),
      clock('overdue', 'OVERDUE', -5),
    ]);
    expect(sorted.map((c) => c.id)).toEqual(['overdue', 'one-hour', 'three-days', 'met']);
  });
});

describe('validation messages in people’s words', () => {
  const invalid = (raw: unknown) => {
    try {
      parseInput(declareIncidentInput, raw);
    } catch (error) {
      return formError(error);
    }
    throw new Error('accepted');
  };

  it('names the actual limit and length, and the form’s summary has no API field names', () => {
    const state = invalid({ ...BREACH, title: 'x'.repeat(400), detectedAt: '2999-01-01T00:00:00Z' });
    expect(state.fields).toEqual({
      title: 'Use at most 200 characters (this has 400).',
      detectedAt: 'The detection time cannot be in the future.',
    });
    expect(state.message).toBe(
      'Use at most 200 characters (this has 400). The detection time cannot be in the future.',
    );
    expect(invalid({ ...BREACH, title: undefined }).fields).toEqual({ title: 'Enter a title.' });
  });
});
