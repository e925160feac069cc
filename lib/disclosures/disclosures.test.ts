// The notice workflow tried the ways it could break: the author approving their own text, an
// approval of a text that changed since, an edit after approval, publishing without approval, an
// executive editing or publishing, an incomplete notice submitted — and the signature checked by
// a verifier written here from node:crypto alone, against the published JWKS.
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SignedNotice } from '@/lib/disclosures/signing';
import { BREACH, staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';

// Read by config() on first use: the settings a deployment gives.
const { privateKey } = generateKeyPairSync('ed25519');
process.env.FIREBREAK_SIGNING_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
process.env.FIREBREAK_PUBLIC_URL = 'https://status.exchange.example';
process.env.MAIL_FROM = 'Example Security <security@exchange.example>';

const { declareIncident } = await import('@/lib/incidents');
const { addChannel } = await import('@/lib/channels');
const disclosures = await import('@/lib/disclosures');
const { noticeJwks } = await import('@/lib/disclosures/signing');
const { verifyNotice } = await import('@/lib/disclosures/verify');
const { NEVER_ASK } = await import('@/lib/disclosures/gate');

/** A complete notice body: every section, and the anti-phishing block with our sender, channels and verify URL. */
const BODY = `Example Exchange is writing to tell you about an incident.

## What Happened

A bulk-mail tool put customers' addresses in the visible To field.

## What Information Was Involved

Email addresses.

## What We Are Doing

We stopped all mail and require a new password from every customer.

## What You Can Do

Set a new password with the link we mailed you.

## Likely Consequences

Phishing mail to the exposed addresses.

## How to Recognise Our Messages

We write only from security@exchange.example. Our channels: X: @exchange; Telegram: t.me/exchange. ${NEVER_ASK} Verify a notice at https://status.exchange.example/status/verify.

## For More Information

Write to security@firebreak.local.
`;

let comms: Awaited<ReturnType<typeof staffActor>>;
let security: Awaited<ReturnType<typeof staffActor>>;
let executive: Awaited<ReturnType<typeof staffActor>>;
let reference: string;
beforeAll(async () => {
  comms = await staffActor('COMMS');
  security = await staffActor('SECURITY');
  executive = await staffActor('EXECUTIVE');
  // The official channels a notice must name (labels "X: @exchange", "Telegram: t.me/exchange").
  await addChannel(security, { name: 'X', kind: 'X', handle: '@exchange' });
  await addChannel(security, { name: 'Telegram', kind: 'TELEGRAM', handle: 't.me/exchange' });
  reference = (await declareIncident(security, BREACH)).reference;
});

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );

describe('drafting', () => {
  it('starts from the template with the incident’s facts, and cannot be submitted with a placeholder left', async () => {
    const notice = await disclosures.createDisclosure(comms, reference, {});
    const [draft] = notice.revisions;
    expect(draft.title).toBe('Notice of Data Breach');
    expect(draft.body).toContain(`Our reference for it is ${reference}.`);
    expect(draft.body).toContain('security@exchange.example');
    expect(draft.body).toContain('X: @exchange; Telegram: t.me/exchange');
    expect(notice.problems.some((p) => p.includes('{{write:'))).toBe(true);
    const refused = await disclosures.submitDisclosure(comms, notice.id).catch((error) => error);
    expect(refused).toMatchObject({ code: 'notice_incomplete', status: 400 });
    expect(refused.details.problems).toEqual(notice.problems);
    expect((await disclosures.getDisclosure(comms, notice.id)).status).toBe('DRAFT');
  });

  it('refuses a body without the anti-phishing block, naming it', async () => {
    const notice = await disclosures.createDisclosure(comms, reference, {
      title: 'Notice of Data Breach',
      body: BODY.replace(NEVER_ASK, ''),
    });
    await expect(disclosures.submitDisclosure(comms, notice.id)).rejects.toMatchObject({
      code: 'notice_incomplete',
      message: expect.stringContaining(NEVER_ASK),
    });
  });

  it('an executive may not draft, and revisions are append-only in the database', async () => {
    expect(await code(disclosures.createDisclosure(executive, reference, {}))).toBe('forbidden');
    const notice = await disclosures.createDisclosure(comms, reference, { title: 'T', body: BODY });
    await expect(
      sql(`UPDATE "DisclosureRevision" SET body = 'rewritten' WHERE "disclosureId" = $1`, [notice.id]),
    ).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM "DisclosureRevision" WHERE "disclosureId" = $1`, [notice.id])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('approval of the exact revision, then publication', () => {
  it('walks the whole way, refusing each shortcut', async () => {
    const notice = await disclosures.createDisclosure(comms, reference, { title: 'Notice of Data Breach', body: BODY });
    const r1 = notice.revisions[0];
    // Not submitted: nothing to approve; not approved: nothing to publish.
    expect(
      await code(disclosures.approveDisclosure(executive, notice.id, { revision: 1, contentHash: r1.contentHash })),
    ).toBe('not_pending');
    expect(await code(disclosures.publishDisclosure(comms, notice.id, { revision: 1 }))).toBe('not_approved');
    await disclosures.submitDisclosure(comms, notice.id);
    expect(await code(disclosures.publishDisclosure(comms, notice.id, { revision: 1 }))).toBe('not_approved');

    // COMMS may not approve; a stale hash is refused; an API token never approves.
    expect(
      await code(disclosures.approveDisclosure(comms, notice.id, { revision: 1, contentHash: r1.contentHash })),
    ).toBe('forbidden');
    expect(
      await code(disclosures.approveDisclosure(executive, notice.id, { revision: 1, contentHash: '0'.repeat(64) })),
    ).toBe('stale_revision');
    expect(
      await code(
        disclosures.approveDisclosure({ ...executive, via: 'token' }, notice.id, {
          revision: 1,
          contentHash: r1.contentHash,
        }),
      ),
    ).toBe('approval_requires_session');

    // Approved by an executive…
    const approved = await disclosures.approveDisclosure(executive, notice.id, {
      revision: 1,
      contentHash: r1.contentHash,
    });
    expect(approved.status).toBe('APPROVED');
    expect(approved.approvals).toMatchObject([{ revision: 1, contentHash: r1.contentHash, role: 'EXECUTIVE' }]);
    // …who may neither edit nor publish.
    expect(await code(disclosures.reviseDisclosure(executive, notice.id, { title: 'T', body: BODY }))).toBe(
      'forbidden',
    );
    expect(await code(disclosures.publishDisclosure(executive, notice.id, { revision: 1 }))).toBe('forbidden');

    // An edit after approval: back to DRAFT, and revision 1's approval does not carry over.
    const edited = await disclosures.reviseDisclosure(comms, notice.id, {
      title: 'Notice of Data Breach',
      body: BODY.replace('Email addresses.', 'Email addresses and names.'),
    });
    expect(edited).toMatchObject({ status: 'DRAFT', latestRevision: 2 });
    expect(await code(disclosures.publishDisclosure(comms, notice.id, { revision: 2 }))).toBe('not_approved');
    expect(await code(disclosures.publishDisclosure(comms, notice.id, { revision: 1 }))).toBe('stale_revision');
    const r2 = edited.revisions[0];
    await disclosures.submitDisclosure(comms, notice.id);
    // The approval of revision 1's hash is stale now.
    expect(
      await code(disclosures.approveDisclosure(security, notice.id, { revision: 1, contentHash: r1.contentHash })),
    ).toBe('stale_revision');
    await disclosures.approveDisclosure(security, notice.id, { revision: 2, contentHash: r2.contentHash });

    const published = await disclosures.publishDisclosure(comms, notice.id, { revision: 2, notify: 'NONE' });
    expect(published).toMatchObject({ status: 'PUBLISHED', publishedRevision: 2 });
    expect(published.notices).toHaveLength(1);
    expect(await code(disclosures.publishDisclosure(comms, notice.id, { revision: 2 }))).toBe('no_change');
    const timeline = await sql<{ action: string }>(
      `SELECT t.action FROM "TimelineEntry" t JOIN "Incident" i ON i.id = t."incidentId" WHERE i.reference = $1 AND t.data->>'disclosureId' = $2 ORDER BY t.at`,
      [reference, notice.id],
    );
    expect(timeline.map((t) => t.action)).toEqual([
      'disclosure.created',
      'disclosure.submitted',
      'disclosure.approved',
      'disclosure.revised',
      'disclosure.submitted',
      'disclosure.approved',
      'disclosure.published',
    ]);
  });

  it('the author cannot approve their own revision, even with the role to approve', async () => {
    const notice = await disclosures.createDisclosure(security, reference, {
      title: 'Notice of Data Breach',
      body: BODY,
    });
    await disclosures.submitDisclosure(security, notice.id);
    expect(
      await code(
        disclosures.approveDisclosure(security, notice.id, {
          revision: 1,
          contentHash: notice.revisions[0].contentHash,
        }),
      ),
    ).toBe('self_approval');
  });

  it('a trivial edit by someone else does not make the first author a second person', async () => {
    const notice = await disclosures.createDisclosure(security, reference, {
      title: 'Notice of Data Breach',
      body: BODY,
    });
    const edited = await disclosures.reviseDisclosure(comms, notice.id, {
      title: 'Notice of Data Breach',
      body: `${BODY}\n`.replace('Email addresses.', 'Email addresses only.'),
    });
    await disclosures.submitDisclosure(comms, notice.id);
    expect(
      await code(
        disclosures.approveDisclosure(security, notice.id, {
          revision: 2,
          contentHash: edited.revisions[0].contentHash,
        }),
      ),
    ).toBe('self_approval');
    // Someone who wrote none of it may.
    const other = await staffActor('SECURITY');
    expect(
      await code(
        disclosures.approveDisclosure(other, notice.id, { revision: 2, contentHash: edited.revisions[0].contentHash }),
      ),
    ).toBe('ok');
  });

  it('with DISCLOSURE_APPROVERS, one approval of each listed role', () => {
    expect(disclosures.approvalsMet(['EXECUTIVE'], ['EXECUTIVE', 'SECURITY'])).toBe(false);
    expect(disclosures.approvalsNeeded(['EXECUTIVE'], ['EXECUTIVE', 'SECURITY'])).toEqual(['SECURITY']);
    expect(disclosures.approvalsMet(['SECURITY', 'EXECUTIVE'], ['EXECUTIVE', 'SECURITY'])).toBe(true);
    expect(disclosures.approvalsMet([], [])).toBe(false);
    expect(disclosures.approvalsMet(['ADMIN'], [])).toBe(true);
  });
});

describe('signed notices', () => {
  let signed: SignedNotice;
  beforeAll(async () => {
    const notice = await disclosures.createDisclosure(comms, reference, { title: 'Notice of Data Breach', body: BODY });
    await disclosures.submitDisclosure(comms, notice.id);
    await disclosures.approveDisclosure(executive, notice.id, {
      revision: 1,
      contentHash: notice.revisions[0].contentHash,
    });
    const published = await disclosures.publishDisclosure(comms, notice.id, { revision: 1 });
    signed = published.notices[0].signed;
  });

  /** What a customer or journalist can run: canonical JSON (sorted keys), Ed25519, the JWKS key of that kid. */
  function verifiedOffline(candidate: { notice: Record<string, unknown>; signature: string; kid: string }) {
    const jwk = noticeJwks().keys.find((k) => k.kid === candidate.kid);
    if (!jwk) return false;
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    const bytes = Buffer.from(JSON.stringify(candidate.notice, Object.keys(candidate.notice).sort()));
    return verify(null, bytes, key, Buffer.from(candidate.signature, 'base64url'));
  }

  it('/.well-known/firebreak-notice-keys.json serves the key set', async () => {
    const { GET } = await import('@/app/.well-known/firebreak-notice-keys.json/route');
    const response = await GET();
    expect(response.status).toBe(200);
    const { keys } = await response.json();
    expect(keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: signed.kid, alg: 'EdDSA' })]);
    expect(keys[0]).not.toHaveProperty('d'); // never the private half
  });

  it('verifies with the published JWKS and node:crypto alone', () => {
    expect(signed.notice).toMatchObject({
      incident: reference,
      revision: 1,
      url: expect.stringMatching(/^https:\/\/status\.exchange\.example\/status\/notices\//),
    });
    expect(verifiedOffline(signed)).toBe(true);
  });

  it('one changed character, another revision, or another key fails', () => {
    expect(
      verifiedOffline({
        ...signed,
        notice: { ...signed.notice, body: signed.notice.body.replace('all mail', 'all maiI') },
      }),
    ).toBe(false);
    expect(verifiedOffline({ ...signed, notice: { ...signed.notice, revision: 2 } })).toBe(false);
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = sign(
      null,
      Buffer.from(JSON.stringify(signed.notice, Object.keys(signed.notice).sort())),
      other,
    ).toString('base64url');
    expect(verifiedOffline({ ...signed, signature: forged })).toBe(false);
  });

  it('the verify endpoint says authentic only for what we published, by signature or by text', async () => {
    expect(await verifyNotice(signed)).toMatchObject({
      authentic: true,
      how: 'signature',
      notice: { incident: reference, revision: 1 },
    });
    expect(
      await verifyNotice({ ...signed, notice: { ...signed.notice, title: 'Withdraw all funds now' } }),
    ).toMatchObject({ authentic: false });
    expect(
      await verifyNotice({ text: `${signed.notice.title}\n\n${signed.notice.body.replace(/\n/g, '\n  ')}` }),
    ).toMatchObject({
      authentic: true,
      how: 'text',
    });
    // The mail as the customer received it (subject line and footer included) is ours too.
    const { noticeMail } = await import('@/lib/disclosures/notify');
    const mail = noticeMail(signed.notice, signed.kid, 'https://status.exchange.example/status/verify');
    expect(await verifyNotice({ text: `${mail.subject}\n\n${mail.text}` })).toMatchObject({
      authentic: true,
      notice: { supersededBy: null },
    });
    expect(await verifyNotice({ text: `${signed.notice.body}\nUrgent: move your BTC to bc1qattacker` })).toMatchObject({
      authentic: false,
      reason: expect.stringContaining('phishing'),
    });
  });
});
