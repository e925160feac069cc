// The public status page against a real database: only what was published ever appears (checked
// on every public page and document after every step of a notice's workflow), injection payloads
// come out inert, the Statuspage summary has Statuspage's shape, the feed is Atom, a channel
// marked compromised reaches the page through NOTIFY without anyone refreshing, subscriptions are
// double opt-in and mailed once per revision, and pasted or signed notices verify only when they
// are exactly what was published.
import { generateKeyPairSync } from 'node:crypto';
import Ajv from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeNoticeBody, declaredIncident, publishedRevision, staffActor } from '../../test/fixtures';
import { sql } from '../../test/sql';
import { until } from '../../test/until';

const PUBLIC_URL = 'https://status.exchange.example';
process.env.FIREBREAK_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
process.env.FIREBREAK_PUBLIC_URL = PUBLIC_URL;
process.env.FIREBREAK_EXCHANGE_NAME = 'Example Exchange';
const CAP = 8;
process.env.STATUS_SUBSCRIBE_PER_MINUTE = String(CAP);

const disclosures = await import('@/lib/disclosures');
const { addChannel, markChannel } = await import('@/lib/channels');
const { refreshStatusSnapshot, statusListening, statusSnapshot } = await import('@/lib/status/snapshot');
const { verifyNotice } = await import('@/lib/disclosures/verify');
const { signNotice } = await import('@/lib/disclosures/signing');
const subscriptions = await import('@/lib/status/subscriptions');
const { runNoticeChunk } = await import('@/lib/disclosures/notify');
const { updateIncident } = await import('@/lib/incidents');
const pg = (await import('pg')).default;

const home = (await import('@/app/(public)/status/route')).GET;
const history = (await import('@/app/(public)/status/history/route')).GET;
const noticePage = (await import('@/app/(public)/status/notices/[id]/route')).GET;
const feed = (await import('@/app/(public)/status/feed.xml/route')).GET;
const verifyPage = (await import('@/app/(public)/status/verify/route')).POST;
const verifyForm = (await import('@/app/(public)/status/verify/route')).GET;
const summary = (await import('@/app/api/v2/summary.json/route')).GET;
const statusApi = (await import('@/app/api/v1/status/route')).GET;
const unsubscribeRoute = (await import('@/app/(public)/status/unsubscribe/route')).POST;
const subscribeRoute = (await import('@/app/(public)/status/subscribe/route')).POST;

const req = (path: string, init?: RequestInit) => new Request(`${PUBLIC_URL}${path}`, init);
const noParams = { params: Promise.resolve({}) };

/** Every public page and document, as text, for one notice. */
async function everything(noticeId: string) {
  await refreshStatusSnapshot();
  const pages: [string, Promise<Response>][] = [
    ['/status', home(req('/status'))],
    ['/status/history', history(req('/status/history'))],
    [
      `/status/notices/${noticeId}`,
      noticePage(req(`/status/notices/${noticeId}`), { params: Promise.resolve({ id: noticeId }) }),
    ],
    ['/status/feed.xml', feed(req('/status/feed.xml'))],
    ['/api/v2/summary.json', summary(req('/api/v2/summary.json'))],
    ['/api/v1/status', statusApi(req('/api/v1/status'), noParams)],
  ];
  return Promise.all(
    pages.map(async ([url, response]) => {
      const r = await response;
      return { url, status: r.status, text: await r.text() };
    }),
  );
}

let security: Awaited<ReturnType<typeof staffActor>>;
let comms: Awaited<ReturnType<typeof staffActor>>;
let executive: Awaited<ReturnType<typeof staffActor>>;
let channelId: string;
/** A notice published twice (plain headings and paragraphs), so that each test can run alone. */
let fixtureId: string;
beforeAll(async () => {
  security = await staffActor('SECURITY');
  comms = await staffActor('COMMS');
  executive = await staffActor('EXECUTIVE');
  channelId = (await addChannel(security, { name: 'X', kind: 'X', handle: '@exchange', url: 'https://x.com/exchange' }))
    .id;
  const { incident } = await declaredIncident(security);
  const notice = await publish({ incident: incident.id }, { title: 'Fixture notice', body: body('Fixture one') });
  await publish({ notice: notice.id }, { title: 'Fixture notice', body: body('Fixture two') });
  fixtureId = notice.id;
});

const body = (marker: string) =>
  `${marker}\n\n${completeNoticeBody({ publicUrl: PUBLIC_URL, channels: ['X: @exchange'] })}`;

/** A text published as a new notice or the next revision: COMMS writes and publishes, EXECUTIVE approves. */
const publish = (target: { incident: string } | { notice: string }, content: Parameters<typeof publishedRevision>[2]) =>
  publishedRevision({ author: comms, approver: executive }, target, content);

async function approve(id: string) {
  const d = await disclosures.getDisclosure(executive, id);
  await disclosures.approveDisclosure(executive, id, {
    revision: d.latestRevision,
    contentHash: d.revisions[0].contentHash,
  });
}

describe('only what was published appears', () => {
  it('on every page, the feed and both JSON documents, after each step of the workflow', async () => {
    const { incident } = await declaredIncident(security);
    const notice = await disclosures.createDisclosure(comms, incident.id, {
      title: 'Title-draft-one',
      body: body('Marker-draft-one'),
    });
    const steps: [string, () => Promise<unknown>, string[], string[]][] = [
      ['drafted', async () => {}, [], ['Marker-draft-one', 'Title-draft-one']],
      ['submitted', () => disclosures.submitDisclosure(comms, notice.id), [], ['Marker-draft-one']],
      ['approved', () => approve(notice.id), [], ['Marker-draft-one']],
      [
        'published',
        () => disclosures.publishDisclosure(comms, notice.id, { revision: 1, notify: 'NONE' }),
        ['Marker-draft-one', 'Title-draft-one'],
        [],
      ],
      [
        'revised (a draft of revision 2)',
        () =>
          disclosures.reviseDisclosure(comms, notice.id, { title: 'Title-draft-two', body: body('Marker-draft-two') }),
        ['Marker-draft-one'],
        ['Marker-draft-two', 'Title-draft-two'],
      ],
      [
        'revision 2 submitted',
        () => disclosures.submitDisclosure(comms, notice.id),
        ['Marker-draft-one'],
        ['Marker-draft-two'],
      ],
      ['revision 2 approved', () => approve(notice.id), ['Marker-draft-one'], ['Marker-draft-two']],
      [
        'revision 2 published',
        () => disclosures.publishDisclosure(comms, notice.id, { revision: 2, notify: 'NONE' }),
        ['Marker-draft-two', 'Title-draft-two'],
        [],
      ],
    ];
    for (const [step, act, present, absent] of steps) {
      await act();
      const documents = await everything(notice.id);
      for (const doc of documents) {
        for (const text of absent) expect(doc.text, `${step}: ${doc.url}`).not.toContain(text);
        // The history lists titles only; the others carry the text of the newest published revision.
        for (const text of present)
          if (doc.url !== '/status/history' || text.startsWith('Title'))
            expect(doc.text, `${step}: ${doc.url}`).toContain(text);
      }
      expect(documents.some((d) => d.text.includes(comms.email) || d.text.includes(executive.email))).toBe(false);
    }
    // The notice page shows both revisions and what changed between them.
    const [, , page] = await everything(notice.id);
    expect(page.text).toContain('Revision 1');
    expect(page.text).toMatch(/<ins[^>]*>[^<]*two/);
    expect(page.text).toMatch(/<del[^>]*>[^<]*one/);
    // The incident's internal title and summary never appear, nor the staff who wrote and approved.
    for (const doc of await everything(notice.id))
      for (const secret of [incident.title, incident.summary, comms.name, executive.name, security.name])
        expect(doc.text, doc.url).not.toContain(secret);
  });
});

describe('answers', () => {
  it('have validators, a short public cache life and (HTML) a policy that allows no script', async () => {
    await refreshStatusSnapshot();
    const first = await home(req('/status'));
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+/);
    expect(first.headers.get('last-modified')).toBeTruthy();
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    const again = await home(req('/status', { headers: { 'if-none-match': etag } }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('summary.json has Statuspage’s public shape', async () => {
    const iso = { type: 'string', format: 'date-time' };
    const nullableIso = { anyOf: [iso, { type: 'null' }] };
    // Written from Statuspage's public API docs (GET /api/v2/summary.json).
    const schema = {
      type: 'object',
      required: ['page', 'components', 'incidents', 'scheduled_maintenances', 'status'],
      properties: {
        page: {
          type: 'object',
          required: ['id', 'name', 'url', 'updated_at'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, updated_at: iso },
        },
        components: {
          type: 'array',
          items: {
            type: 'object',
            required: [
              'id',
              'name',
              'status',
              'created_at',
              'updated_at',
              'position',
              'page_id',
              'group',
              'only_show_if_degraded',
            ],
            properties: {
              status: {
                enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'],
              },
              position: { type: 'integer' },
              group: { type: 'boolean' },
            },
          },
        },
        incidents: {
          type: 'array',
          items: {
            type: 'object',
            required: [
              'id',
              'name',
              'status',
              'created_at',
              'updated_at',
              'impact',
              'shortlink',
              'page_id',
              'incident_updates',
            ],
            properties: {
              status: { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] },
              impact: { enum: ['none', 'minor', 'major', 'critical'] },
              created_at: iso,
              resolved_at: nullableIso,
              incident_updates: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at'],
                  properties: { body: { type: 'string' }, display_at: iso },
                },
              },
            },
          },
        },
        scheduled_maintenances: { type: 'array' },
        status: {
          type: 'object',
          required: ['indicator', 'description'],
          properties: { indicator: { enum: ['none', 'minor', 'major', 'critical'] }, description: { type: 'string' } },
        },
      },
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat('date-time', (v: string) => !Number.isNaN(Date.parse(v)) && /T.*Z$/.test(v));
    await refreshStatusSnapshot();
    const doc = await (await summary(req('/api/v2/summary.json'))).json();
    expect(ajv.validate(schema, doc), JSON.stringify(ajv.errors)).toBe(true);
    expect(doc.incidents.length).toBeGreaterThan(0);
    expect(doc.status.indicator).toBe('major'); // a notice about an unresolved incident (severity stays internal)
  });

  it('the feed is Atom: one entry per published revision, stable ids', async () => {
    await refreshStatusSnapshot();
    const xml = await (await feed(req('/status/feed.xml'))).text();
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(parsed.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    const entries = [parsed.feed.entry].flat().filter((e: { id: string }) => e.id.includes(':notice:'));
    const published = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "PublishedNotice"`);
    expect(entries).toHaveLength(published[0].n);
    for (const entry of entries) {
      expect(entry.id).toMatch(/^tag:firebreak,2026:notice:[0-9a-f-]{36}:\d+$/);
      expect(Date.parse(entry.updated)).not.toBeNaN();
    }
    // A later publication adds an entry and changes none of the others.
    const { incident } = await declaredIncident(security);
    await publish({ incident: incident.id }, { title: 'Later', body: body('Later marker') });
    await refreshStatusSnapshot();
    const after = [new XMLParser().parse(await (await feed(req('/status/feed.xml'))).text()).feed.entry]
      .flat()
      .filter((e: { id: string }) => e.id.includes(':notice:'));
    expect(after).toHaveLength(entries.length + 1);
    const byId = new Map(after.map((e: { id: string; updated: string }) => [e.id, e.updated]));
    for (const entry of entries) expect(byId.get(entry.id)).toBe(entry.updated);
  });
});

describe('injection', () => {
  it('raw HTML never reaches a notice (the gate); markdown links, images and a title carrying payloads render inert on the pages and in the feed', async () => {
    const { incident } = await declaredIncident(security);
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '<svg onload=alert(3)><script>alert(4)</script></svg>',
      '[click](javascript:alert(5))',
      '<a href="javascript:alert(6)">x</a>',
      '![i](javascript:alert(7))',
    ].join('\n\n');
    const notice = await disclosures.createDisclosure(comms, incident.id, {
      title: 'Evil <script>alert(8)</script> title',
      body: `Payload marker.\n\n${body('').replace('Something true about it.', payloads)}`,
    });
    await disclosures.submitDisclosure(comms, notice.id).catch(() => {});
    const d = await disclosures.getDisclosure(comms, notice.id);
    // The gate refuses raw HTML: publish the same payloads as markdown-escaped text instead.
    expect(d.status).toBe('DRAFT');
    const markdownOnly = `Payload marker.\n\n${body('').replace('Something true about it.', '[click](javascript:alert(5))\n\n![i](javascript:alert(7))\n\n`<script>alert(9)</script>`')}`;
    await disclosures.reviseDisclosure(comms, notice.id, {
      title: 'Evil <script>alert(8)</script> title',
      body: markdownOnly,
    });
    await disclosures.submitDisclosure(comms, notice.id);
    await approve(notice.id);
    await disclosures.publishDisclosure(comms, notice.id, { revision: 2, notify: 'NONE' });
    for (const doc of await everything(notice.id)) {
      if (doc.url.includes('/api/')) continue; // JSON: the text as published, for clients to render safely
      expect(doc.text, doc.url).not.toMatch(/<script/i);
      expect(doc.text, doc.url).not.toMatch(/href="javascript:/i);
      expect(doc.text, doc.url).not.toMatch(/src="javascript:/i);
      expect(doc.text, doc.url).not.toMatch(/\sonerror=|\sonload=/i);
    }
    // The title is text in the feed: escaped inside its type="html" element.
    const [, , , atom] = await everything(notice.id);
    expect(atom.text).toContain('Evil &lt;script&gt;alert(8)&lt;/script&gt; title');
  });
});

describe('channels', () => {
  it('a channel marked compromised reaches the page through NOTIFY within a second, signed', async () => {
    await statusSnapshot();
    // Listening, the snapshot is rebuilt only when a notification arrives (or after 5 minutes):
    // nothing else can bring the change within the second.
    await until(async () => statusListening(), 5000);
    const started = Date.now();
    await markChannel(security, channelId, { status: 'COMPROMISED', reason: 'attacker posted a fake giveaway' });
    // No refresh here: the listening connection rebuilds the snapshot.
    await until(async () => (await statusSnapshot()).compromised.length === 1, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    const html = await (await home(req('/status'))).text();
    expect(html).toContain('Our X account @exchange is compromised: ignore what it posts since');
    const snapshot = await statusSnapshot();
    const verdict = await verifyNotice(snapshot.compromised[0].signed!);
    expect(verdict).toMatchObject({ authentic: true, channel: { status: 'COMPROMISED', currentStatus: null } });
    // A forged statement (the attacker says the channel is fine) does not verify.
    // The banner's "check it" opens the verify form filled with that statement.
    const form = await (await verifyForm(req(`/status/verify?statement=${channelId}`))).text();
    expect(form).toContain('&quot;COMPROMISED&quot;');
    const forged = {
      ...snapshot.compromised[0].signed!,
      channel: { ...snapshot.compromised[0].signed!.channel, status: 'TRUSTED' as const },
    };
    expect(await verifyNotice(forged)).toMatchObject({ authentic: false });
    // Audited and on the timeline of the only open incident... or none: at least in the audit log.
    const [audit] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'channel.status_changed'`,
    );
    expect(audit.n).toBe(1);
  });

  it('only SECURITY and ADMIN mark channels, and a reason is required', async () => {
    await expect(
      markChannel(comms, channelId, { status: 'RECOVERED', reason: 'we got it back' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      markChannel(executive, channelId, { status: 'RECOVERED', reason: 'we got it back' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(markChannel(security, channelId, { status: 'RECOVERED', reason: '' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await markChannel(security, channelId, { status: 'RECOVERED', reason: 'password reset, 2FA back on' });
    await until(async () => (await statusSnapshot()).compromised.length === 0, 2000);
  });
});

describe('verify', () => {
  it('a genuine notice verifies; a changed character, an old revision passed off as new, another key do not', async () => {
    await refreshStatusSnapshot();
    const snapshot = await statusSnapshot();
    const notice = snapshot.notices.find((n) => n.id === fixtureId)!;
    const [newest, oldest] = notice.revisions;
    expect(await verifyNotice(newest.signed)).toMatchObject({ authentic: true, how: 'signature' });
    expect(await verifyNotice({ text: `${newest.title}\n\n${newest.body}` })).toMatchObject({
      authentic: true,
      how: 'text',
    });
    expect(await verifyNotice(oldest.signed)).toMatchObject({ authentic: true, notice: { supersededBy: 2 } });

    const changed = {
      ...newest.signed,
      notice: { ...newest.signed.notice, body: newest.signed.notice.body.replace('a', 'e') },
    };
    expect(await verifyNotice(changed)).toMatchObject({ authentic: false });
    expect(await verifyNotice({ text: newest.body.replace('a', 'e') })).toMatchObject({ authentic: false });
    // An old revision passed off as the current one: ours, and the answer says it was replaced…
    const oldPage = await verifyPage(
      req('/status/verify', { method: 'POST', body: new URLSearchParams({ text: JSON.stringify(oldest.signed) }) }),
    );
    const oldText = await oldPage.text();
    expect(oldText).toContain('Ours, but out of date.');
    expect(oldText).not.toContain('Genuine: we published this.');
    // …and relabelled as the newest revision, its signature no longer holds.
    const passedOff = { ...oldest.signed, notice: { ...oldest.signed.notice, revision: 2 } };
    expect(await verifyNotice(passedOff)).toMatchObject({ authentic: false });
    // Signed with a key that is not ours (the same kid claimed).
    const otherKey = generateKeyPairSync('ed25519').privateKey;
    const { sign } = await import('node:crypto');
    const canonicalize = (await import('canonicalize')).default;
    const forged = {
      ...newest.signed,
      signature: sign(null, Buffer.from(canonicalize(newest.signed.notice)!), otherKey).toString('base64url'),
    };
    expect(await verifyNotice(forged)).toMatchObject({ authentic: false });
    // Our own key signing something we never published (a stolen draft) is not a published notice.
    const unpublished = signNotice({ ...newest.signed.notice, body: 'Withdraw all funds now.' });
    expect(await verifyNotice(unpublished)).toMatchObject({ authentic: false });
  });

  it('the page answers for text, links and signed JSON, and says phishing for the rest', async () => {
    const snapshot = await refreshStatusSnapshot();
    const notice = snapshot.notices.find((n) => n.id === fixtureId)!;
    const post = async (text: string) => {
      const response = await verifyPage(req('/status/verify', { method: 'POST', body: new URLSearchParams({ text }) }));
      return { status: response.status, text: await response.text() };
    };
    expect((await post(JSON.stringify(notice.revisions[0].signed))).text).toContain('Genuine: we published this.');
    expect((await post(`${PUBLIC_URL}/status/notices/${notice.id}`)).text).toContain('Genuine');
    expect((await post(`${PUBLIC_URL}/status/notices/${notice.id.toUpperCase()}`)).text).toContain('Genuine');
    expect((await post(`${PUBLIC_URL}/status/withdraw?to=bc1q`)).text).toContain('Our address, not a notice.');
    expect((await post(`https://status.exchange-example.co/status/notices/${notice.id}`)).text).toContain('Not ours.');
    expect((await post('Take your BTC and run: withdraw all funds to bc1q…')).text).toContain('Treat it as phishing');
    expect((await post('{"notice": 1')).status).toBe(400);
    // JSON in no shape we sign is not ours (not a form error).
    expect((await post('{"notice":"fake","signature":"abc"}')).text).toContain('Not ours.');
    // What a reader copies from the page is the rendered text: genuine too.
    const plain = notice.revisions[0]; // headings and paragraphs only
    const rendered = `${plain.title}\n${plain.body.replace(/^#+ /gm, '')}`;
    expect((await post(rendered)).text).toContain('Genuine: we published this.');
    // A quote of a notice: the words are ours, the message around them may not be.
    const quote = 'We will never ask for your password, your 2FA codes or for funds.';
    const quoted = await post(quote);
    expect(quoted.text).toContain('These words are ours; the message may not be.');
    expect(quoted.text).not.toContain('Genuine: we published this.');
    expect((await post(`URGENT: ${quote} But send 1 BTC to bc1qfake now.`)).text).toContain('Treat it as phishing');
    expect((await post('bad \u0000 bytes \ud800')).status).toBeLessThan(500);
  });

  it('a notice published a moment ago verifies even before the snapshot heard of it', async () => {
    const { incident } = await declaredIncident(security);
    const d = await publish({ incident: incident.id }, { title: 'Fresh', body: body('Fresh marker') });
    expect(await verifyNotice(d.notices[0].signed)).toMatchObject({ authentic: true });
  });
});

describe('subscriptions', () => {
  const mailTo = (email: string) =>
    sql<{ stream: string; to: string; text: string; unsubscribeUrl: string | null }>(
      `SELECT stream::text, "to", text, "unsubscribeUrl" FROM "MailMessage" WHERE "to" = $1 ORDER BY "queuedAt"`,
      [email],
    );
  const tokenIn = (text: string) => /token=([\w.-]+)/.exec(text)![1];

  it('double opt-in: one confirmation mail per cooldown, the link works once, the answer never tells', async () => {
    await subscriptions.requestSubscription({ email: 'Alice@Example.org' });
    await subscriptions.requestSubscription({ email: 'alice@example.org' }); // within the cooldown: nothing
    const mails = await mailTo('alice@example.org');
    expect(mails).toHaveLength(1);
    expect(mails[0].stream).toBe('TRANSACTIONAL');
    const token = tokenIn(mails[0].text);
    await subscriptions.confirmSubscription(token);
    await expect(subscriptions.confirmSubscription(token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(subscriptions.confirmSubscription(`${token.slice(0, -2)}xx`)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    // Already subscribed: no mail, and no error that would tell.
    await subscriptions.requestSubscription({ email: 'alice@example.org' });
    expect(await mailTo('alice@example.org')).toHaveLength(1);
    await expect(subscriptions.requestSubscription({ email: 'not an address' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('the form answers alike for a new, a pending and a subscribed address', async () => {
    const ask = async (email: string) => {
      const response = await subscribeRoute(
        req('/status/subscribe', { method: 'POST', body: new URLSearchParams({ email }) }),
      );
      return `${response.status} ${response.headers.get('location')} ${await response.text()}`;
    };
    const answers = [await ask('carol@example.org'), await ask('carol@example.org'), await ask('alice@example.org')];
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^303 \/status\/subscribe/);
    expect((await ask('not an address')).startsWith('400')).toBe(true);
  });

  it('an expired link does not confirm', async () => {
    const [row] = await sql<{ id: string }>(
      `INSERT INTO "StatusSubscriber" (id, email, "confirmNonce") VALUES (gen_random_uuid(), 'late@example.org', encode(sha256('n'), 'hex')) RETURNING id`,
    );
    const expired = subscriptions.signToken({ s: row.id, p: 'confirm', n: 'n', e: Date.now() - 1 });
    await expect(subscriptions.confirmSubscription(expired)).rejects.toMatchObject({ code: 'invalid_token' });
    const fresh = subscriptions.signToken({ s: row.id, p: 'confirm', n: 'n', e: Date.now() + 60_000 });
    await subscriptions.confirmSubscription(fresh);
  });

  it('a publication mails each confirmed subscriber exactly once, unconfirmed never; one POST unsubscribes', async () => {
    await subscriptions.requestSubscription({ email: 'erin@example.org' });
    const [erin] = await mailTo('erin@example.org');
    await subscriptions.confirmSubscription(tokenIn(erin.text));
    await subscriptions.requestSubscription({ email: 'bob@example.org' }); // never confirms
    const { incident } = await declaredIncident(security);
    const d = await publish({ incident: incident.id }, { title: 'For subscribers', body: body('Sub marker') });
    const [{ id: noticeId }] = await sql<{ id: string }>(`SELECT id FROM "PublishedNotice" WHERE "disclosureId" = $1`, [
      d.id,
    ]);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      // Twice, as a worker and its successor would: the second run adds nothing.
      while ((await runNoticeChunk(client, noticeId, `${PUBLIC_URL}/status/verify`, 'SUBSCRIBERS')) > 0);
      await client.query(`UPDATE "NoticeDelivery" SET status = 'RUNNING', cursor = NULL WHERE "noticeId" = $1`, [
        noticeId,
      ]);
      while ((await runNoticeChunk(client, noticeId, `${PUBLIC_URL}/status/verify`, 'SUBSCRIBERS')) > 0);
    } finally {
      await client.end();
    }
    const notices = await sql<{ to: string; stream: string; unsubscribeUrl: string }>(
      `SELECT "to", stream::text, "unsubscribeUrl" FROM "MailMessage" WHERE "disclosureId" = $1`,
      [d.id],
    );
    const confirmed = await sql<{ email: string }>(
      `SELECT email FROM "StatusSubscriber" WHERE "confirmedAt" IS NOT NULL AND "unsubscribedAt" IS NULL ORDER BY email`,
    );
    expect(notices.map((m) => m.to).sort()).toEqual(confirmed.map((c) => c.email));
    expect(notices.map((m) => m.to)).toContain('erin@example.org');
    expect(notices.map((m) => m.to)).not.toContain('bob@example.org');
    expect(
      notices.every(
        (m) => m.stream === 'BULK' && m.unsubscribeUrl.startsWith(`${PUBLIC_URL}/status/unsubscribe?token=`),
      ),
    ).toBe(true);

    const alice = notices.find((m) => m.to === 'erin@example.org')!;
    const oneClick = await unsubscribeRoute(
      new Request(alice.unsubscribeUrl, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      }),
    );
    expect(oneClick.status).toBe(200);
    const [row] = await sql<{ unsubscribedAt: Date | null }>(
      `SELECT "unsubscribedAt" FROM "StatusSubscriber" WHERE email = 'erin@example.org'`,
    );
    expect(row.unsubscribedAt).not.toBeNull();
    const bad = await unsubscribeRoute(
      new Request(`${PUBLIC_URL}/status/unsubscribe?token=forged.token`, { method: 'POST' }),
    );
    expect(bad.status).toBe(400);
  });
});

describe('subscription abuse', () => {
  const sentLastMinute = async () =>
    (
      await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "StatusSubscriber" WHERE "confirmationSentAt" > now() - interval '1 minute'`,
      )
    )[0].n;
  const attempt = (email: string) =>
    subscriptions.requestSubscription({ email }).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'error',
    );

  it('one mailbox gets one confirmation mail per cooldown, whatever +tags the addresses carry', async () => {
    const before = await sentLastMinute();
    for (const email of ['dave@example.org', 'dave+1@example.org', 'Dave+2@example.org'])
      expect(await attempt(email)).toBe('ok');
    expect(await sentLastMinute()).toBe(before + 1);
  });

  it('confirmation mails to many addresses meet a global cap per minute (429), even sent at once', async () => {
    const flood = await Promise.all(Array.from({ length: CAP + 3 }, (_, i) => attempt(`flood${i}@example.org`)));
    expect(flood).toContain('too_many_attempts');
    expect(await sentLastMinute()).toBeLessThanOrEqual(CAP);
    // One after another, up to the cap and no further.
    let refused = 0;
    for (let i = 0; i <= CAP; i++) if ((await attempt(`more${i}@example.org`)) === 'too_many_attempts') refused++;
    expect(refused).toBeGreaterThan(0);
    expect(await sentLastMinute()).toBe(CAP);
    // An address already subscribed gets the same answer as anyone else while the cap holds.
    expect(await attempt('alice@example.org')).toBe('too_many_attempts');
  });
});

describe('incident state', () => {
  it('comes from the published notices alone: an internal status or severity change shows nothing; a published RESOLVED revision clears it', async () => {
    await statusSnapshot();
    await until(async () => statusListening(), 5000);
    const before = await refreshStatusSnapshot();
    expect(before.state.kind).toBe('incident');
    const open = await sql<{ id: string }>(`SELECT id FROM "Incident" WHERE status <> 'CLOSED'`);
    for (const { id } of open) await updateIncident(security, id, { status: 'RESOLVED', severity: 'SEV4' });
    const unchanged = await refreshStatusSnapshot();
    expect(unchanged.version).toBe(before.version);
    // Each notice's next revision says RESOLVED: approved, published, then the page says so.
    for (const notice of before.notices.filter((n) => n.active)) {
      const [current] = notice.revisions;
      await publish(
        { notice: notice.id },
        { title: current.title, body: `${current.body}\n\nResolved.`, state: 'RESOLVED' },
      );
    }
    await until(async () => (await statusSnapshot()).state.kind === 'clear', 2000);
    const doc = await (await summary(req('/api/v2/summary.json'))).json();
    expect(doc.incidents).toEqual([]);
    expect(doc.status.indicator).toBe('none');
    const [newest] = (await statusSnapshot()).notices;
    expect(newest.revisions[0].signed.notice.state).toBe('resolved'); // the state is signed with the text
  });
});
