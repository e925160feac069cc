import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, Forbidden } from '@/lib/errors';
import { freezeMail, frozenStreams, unfreezeMail } from '@/lib/mail/freeze';
import { cancelHeld, enqueueMail, releaseHeld } from '@/lib/mail/outbox';
import { staffActor } from '../../test/fixtures';
import { duplicateMessageIds, queue, sinkCount, startDispatcher, startSink, statusCounts, until } from '../../test/mail';
import { sql } from '../../test/sql';

let sink: Awaited<ReturnType<typeof startSink>>;
let dispatcher: ReturnType<typeof startDispatcher>;
beforeAll(async () => {
  sink = await startSink();
  dispatcher = startDispatcher(sink.port, { concurrency: 5 });
});
afterAll(async () => {
  await dispatcher?.stop();
  await sink?.stop();
});

describe('freeze during a dispatch of 5,000 messages', () => {
  it('stops the stream when the call returns, holds the rest, and release/cancel account for every message', async () => {
    const security = await staffActor('SECURITY');
    const campaignA = randomUUID();
    const campaignB = randomUUID();
    await queue('SECURITY', 2500, { campaignId: campaignA, prefix: 'a' });
    await queue('SECURITY', 2500, { campaignId: campaignB, prefix: 'b' });
    const stream = `"stream" = 'SECURITY'`;

    await until(async () => (await sinkCount()) >= 300, 60_000, 5);
    const { held } = await freezeMail(security, { streams: ['SECURITY'], reason: 'Leak suspected: stop everything' });
    const atReturn = await sinkCount();
    expect(held).toBeGreaterThan(0);

    // Nothing of the frozen stream reaches the SMTP server after the call returned.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await sinkCount()).toBe(atReturn);
    const counts = await statusCounts(stream);
    expect(counts.SENT).toBe(atReturn);
    expect(counts.QUEUED ?? 0).toBe(0);
    expect((counts.SENDING ?? 0) + (counts.HELD ?? 0)).toBe(5000 - atReturn);
    await until(async () => ((await statusCounts(stream)).SENDING ?? 0) === 0, 10_000);
    expect((await statusCounts(stream)).HELD).toBe(5000 - atReturn);

    // New mail for a frozen stream is held too.
    expect(await enqueueMail({ stream: 'SECURITY', to: 'late@example.com', subject: 's', text: 't', idempotencyKey: 'late:1' })).toMatchObject({ status: 'HELD' });

    // Release is refused into a frozen stream (nothing moves); unfreezing releases nothing by itself.
    expect(await releaseHeld(security, { stream: 'SECURITY' })).toMatchObject({ count: 0, stillFrozen: 5000 - atReturn + 1 });
    await unfreezeMail(security, { streams: ['SECURITY'], reason: 'Template checked, leak ruled out' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sinkCount()).toBe(atReturn);

    // The counts shown before confirming are the counts acted on.
    const heldA = (await statusCounts(`"campaignId" = '${campaignA}'`)).HELD ?? 0;
    const preview = await releaseHeld(security, { campaignId: campaignA, dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, count: heldA });
    const released = await releaseHeld(security, { campaignId: campaignA });
    expect(released.count).toBe(heldA);
    const cancelPreview = await cancelHeld(security, { campaignId: campaignB, dryRun: true });
    const cancelled = await cancelHeld(security, { campaignId: campaignB });
    expect(cancelled.count).toBe(cancelPreview.count);
    await cancelHeld(security, { stream: 'SECURITY' }); // the late one

    await until(async () => ((await statusCounts(`"campaignId" = '${campaignA}'`)).SENT ?? 0) === 2500, 60_000);
    const final = await statusCounts(`"idempotencyKey" LIKE 'a:%' OR "idempotencyKey" LIKE 'b:%'`);
    expect(final.SENT + final.CANCELLED).toBe(5000);
    expect(final.CANCELLED).toBe(cancelled.count);
    expect(await sinkCount()).toBe(final.SENT);
    expect(await duplicateMessageIds()).toBe(0);
  });
});

describe('who may freeze', () => {
  it.each(['COMMS', 'EXECUTIVE'] as const)('%s cannot freeze, unfreeze, release or cancel', async (role) => {
    const actor = await staffActor(role);
    await expect(freezeMail(actor, { streams: 'ALL', reason: 'let me' })).rejects.toThrow(Forbidden);
    await expect(unfreezeMail(actor, { streams: 'ALL', reason: 'let me' })).rejects.toThrow(Forbidden);
    await expect(releaseHeld(actor, {})).rejects.toThrow(Forbidden);
    await expect(cancelHeld(actor, {})).rejects.toThrow(Forbidden);
  });

  it('freezing ALL then lifting one stream keeps the others frozen; lifting needs an active freeze and a reason', async () => {
    const admin = await staffActor('ADMIN');
    await freezeMail(admin, { streams: 'ALL', reason: 'Social account hijacked' });
    expect(await frozenStreams()).toEqual(['SECURITY', 'TRANSACTIONAL', 'BULK']);
    await expect(unfreezeMail(admin, { streams: ['SECURITY'], reason: '' })).rejects.toThrow(/reason/);
    await unfreezeMail(admin, { streams: ['SECURITY'], reason: 'Security mail is needed for the reset' });
    expect(await frozenStreams()).toEqual(['TRANSACTIONAL', 'BULK']);
    await expect(unfreezeMail(admin, { streams: ['SECURITY'], reason: 'again' })).rejects.toThrow(Conflict);
    const audit = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE action LIKE 'mail.%' ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['mail.frozen', 'mail.unfrozen']));
  });
});
