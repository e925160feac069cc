// The public status page's data, held in memory by every web process and rebuilt when it changes:
// no database query per request, so the page stays up when everyone opens it at once (and while
// the database is away: the last snapshot keeps being served). A trigger on what the page shows
// (a publication, a channel, an incident's status; migration `status_page`) runs
// pg_notify('firebreak_status') at commit; each process LISTENs on one connection of its own and
// rebuilds at once, so every replica shows a change within a second. A missed notification (the
// listening connection lost) is covered by a rebuild on reconnect and by a maximum age.
//
// Only what was published is read: published revisions (never drafts, approvals or staff
// names), the public state of incidents that have a published notice, and the channels.
import 'server-only';
import type pg from 'pg';
import { createElement } from 'react';
import { NoticeMarkdown } from '@/components/notice/notice-markdown';
import { channelLabel } from '@/lib/channels';
import type { KIND_LABELS } from '@/lib/channels/schema';
import { config, publicUrl, requireDatabaseUrl } from '@/lib/config';
import { db } from '@/lib/db';
import { backoffMs, createPgClient } from '@/lib/db/pg';
import { noticeMail } from '@/lib/disclosures/notify';
import type { PUBLIC_STATES } from '@/lib/disclosures/schema';
import {
  asSignedChannelStatement,
  asSignedNotice,
  type SignedChannelStatement,
  type SignedNotice,
} from '@/lib/disclosures/signing';
import { sha256Hex } from '@/lib/hash';
import { logger } from '@/lib/log';

/**
 * Where an incident is, in Statuspage's words: what its newest published notice says (signed, and
 * approved with the text). Never the incident's internal status or severity.
 */
export type PublicIncidentStatus = (typeof PUBLIC_STATES)[number];
/** Statuspage's impact: a published notice about an unresolved incident is a major one for customers. */
type Impact = 'none' | 'major';
export const STATE_WORDS: Record<PublicIncidentStatus, string> = {
  investigating: 'investigating',
  identified: 'cause identified',
  monitoring: 'contained, monitoring',
  resolved: 'resolved',
};
export type PublicRevision = {
  revision: number;
  title: string;
  body: string;
  state: PublicIncidentStatus;
  publishedAt: Date;
  signed: SignedNotice;
};
export type PublicNotice = {
  id: string;
  incident: string;
  status: PublicIncidentStatus;
  /** Its incident is not resolved: the notice is on the front page. */
  active: boolean;
  firstPublishedAt: Date;
  updatedAt: Date;
  /** Newest first. */
  revisions: PublicRevision[];
};
export type PublicIncident = {
  reference: string;
  status: PublicIncidentStatus;
  impact: Impact;
  /** When it was first told publicly (its first published notice). */
  startedAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  /** Its notices' ids, newest first. */
  notices: string[];
};
export type PublicChannel = {
  id: string;
  name: string;
  kind: keyof typeof KIND_LABELS;
  handle: string;
  url: string | null;
  label: string;
  status: 'TRUSTED' | 'COMPROMISED' | 'RECOVERED';
  since: Date;
  note: string | null;
  signed: SignedChannelStatement | null;
};
export type StatusSnapshot = {
  /** Changes whenever anything shown changes (a hash of it). */
  version: string;
  builtAt: Date;
  /** The newest change of anything shown (Last-Modified). */
  lastModified: Date;
  exchange: { name: string; contact: string; logoUrl: string };
  state:
    | { kind: 'clear' | 'channel'; description: string }
    | { kind: 'incident'; description: string; status: PublicIncidentStatus; impact: Impact };
  incidents: PublicIncident[];
  /** Newest change first. */
  notices: PublicNotice[];
  channels: PublicChannel[];
  compromised: PublicChannel[];
  /** Folded text forms of every published revision → which one (lib/disclosures/verify.ts). */
  texts: Map<string, { notice: string; revision: number }>;
  /** Each published revision as a reader sees it (rendered, folded): for quotes of it. */
  plain: { text: string; notice: string; revision: number }[];
  /** Rendered pages and documents of this version (lib/status/http.ts). */
  rendered: Map<string, Promise<{ body: string; etag: string; status?: number }>>;
};

/** A notice's markdown as a reader sees it on the page: the shared renderer's output, as text. */
async function plainText(markdown: string) {
  const { renderToStaticMarkup } = await import('react-dom/server');
  return renderToStaticMarkup(createElement(NoticeMarkdown, { body: markdown }))
    .replace(/<\/?(?:p|h[1-6]|li|ul|ol|table|thead|tbody|tr|td|th|div|br|blockquote|pre|hr)\b[^>]*>/g, ' ') // blocks part words
    .replace(/<[^>]*>/g, '') // inline elements (links, emphasis) do not
    .replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e] ?? "'");
}

/** Whitespace folded: how pasted text is compared with what we published. */
export const foldText = (text: string) => text.replace(/\s+/g, ' ').trim();

const latest = (dates: Date[]) => new Date(Math.max(0, ...dates.map((d) => d.getTime())));

/** Reads what the public page shows, in one consistent read: signed publications and channels only. */
export async function buildSnapshot(): Promise<StatusSnapshot> {
  const [published, channels] = await db.$transaction(
    [
      db.publishedNotice.findMany({
        orderBy: [{ publishedAt: 'desc' }, { revision: 'desc' }],
        select: { disclosureId: true, revision: true, publishedAt: true, payload: true, signature: true, keyId: true },
      }),
      db.officialChannel.findMany({
        orderBy: { createdAt: 'asc' },
        include: { statements: { orderBy: { madeAt: 'desc' }, take: 1 } },
      }),
    ],
    { isolationLevel: 'RepeatableRead' },
  );

  const settings = config();
  const base = publicUrl() ?? '';
  const notices = new Map<string, PublicNotice>();
  const texts: StatusSnapshot['texts'] = new Map();
  const plain: StatusSnapshot['plain'] = [];
  for (const row of published) {
    const signed = asSignedNotice(row);
    const state = signed.notice.state ?? 'investigating';
    let notice = notices.get(row.disclosureId);
    if (!notice) {
      // Rows come newest first: the first one seen is the notice's current revision.
      notice = {
        id: row.disclosureId,
        incident: signed.notice.incident,
        status: state,
        active: state !== 'resolved',
        firstPublishedAt: row.publishedAt,
        updatedAt: row.publishedAt,
        revisions: [],
      };
      notices.set(row.disclosureId, notice);
    }
    notice.revisions.push({
      revision: row.revision,
      title: signed.notice.title,
      body: signed.notice.body,
      state,
      publishedAt: row.publishedAt,
      signed,
    });
    notice.firstPublishedAt = row.publishedAt;
    const mail = noticeMail(signed.notice, row.keyId, `${base}/status/verify`);
    // What a reader copies from the page is the rendered text, not the markdown.
    const rendered = await plainText(signed.notice.body);
    plain.push({ text: foldText(rendered), notice: row.disclosureId, revision: row.revision });
    for (const form of [
      signed.notice.body,
      `${signed.notice.title}\n${signed.notice.body}`,
      mail.text,
      `${mail.subject}\n${mail.text}`,
      rendered,
      `${signed.notice.title}\n${rendered}`,
    ]) {
      const key = foldText(form);
      if (!texts.has(key)) texts.set(key, { notice: row.disclosureId, revision: row.revision });
    }
  }
  const noticeList = [...notices.values()].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());

  // An incident as the public knows it: its notices, and the state the newest of them gives.
  const publicIncidents: PublicIncident[] = [...new Set(noticeList.map((n) => n.incident))].map((reference) => {
    const own = noticeList.filter((n) => n.incident === reference); // newest change first
    const status = own[0].status;
    const resolved = own[0].revisions.find((r) => r.state === 'resolved');
    return {
      reference,
      status,
      impact: status === 'resolved' ? 'none' : 'major',
      startedAt: new Date(Math.min(...own.map((n) => n.firstPublishedAt.getTime()))),
      updatedAt: own[0].updatedAt,
      resolvedAt: status === 'resolved' ? (resolved?.publishedAt ?? own[0].updatedAt) : null,
      notices: own.map((n) => n.id),
    };
  });

  const publicChannels: PublicChannel[] = channels.map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    handle: c.handle,
    url: c.url,
    label: channelLabel(c),
    status: c.status,
    since: c.since,
    note: c.publicNote,
    signed: c.statements[0] ? asSignedChannelStatement(c.statements[0]) : null,
  }));

  const open = publicIncidents.filter((i) => i.status !== 'resolved');
  const worst = ['investigating', 'identified', 'monitoring']
    .map((status) => open.find((i) => i.status === status))
    .find(Boolean);
  const state: StatusSnapshot['state'] = worst
    ? {
        kind: 'incident',
        status: worst.status,
        impact: worst.impact,
        description:
          open.length > 1
            ? `${open.length} incidents in progress`
            : `Incident in progress: ${STATE_WORDS[worst.status]}`,
      }
    : channels.some((c) => c.status === 'COMPROMISED')
      ? { kind: 'channel', description: 'An official channel is compromised: see the warning above' }
      : { kind: 'clear', description: 'All clear: no incident in progress' };

  const shown = {
    exchange: {
      name: settings.FIREBREAK_EXCHANGE_NAME,
      contact: settings.FIREBREAK_CONTACT,
      logoUrl: settings.FIREBREAK_LOGO_URL,
    },
    state,
    incidents: publicIncidents,
    notices: noticeList,
    channels: publicChannels,
  };
  return {
    ...shown,
    version: sha256Hex(JSON.stringify(shown)).slice(0, 32),
    builtAt: new Date(),
    lastModified: latest([
      ...noticeList.map((n) => n.updatedAt),
      ...publicIncidents.map((i) => i.updatedAt),
      ...channels.map((c) => c.updatedAt),
    ]),
    compromised: publicChannels.filter((c) => c.status === 'COMPROMISED'),
    texts,
    plain,
    rendered: new Map(),
  };
}

/**
 * A snapshot older than this is rebuilt in the background even without a notification: a safety
 * net (a notification lost some way we did not foresee), not the way changes arrive.
 */
const MAX_AGE_MS = 5 * 60_000;
/** Without a listener: at most one rebuild this often. */
const UNHEARD_REBUILD_MS = 2_000;
const CHANNEL = 'firebreak_status';

type Holder = {
  current: StatusSnapshot | null;
  building: Promise<StatusSnapshot> | null;
  dirty: boolean;
  failedAt: number;
  listener: pg.Client | null;
  listening: boolean;
  closed: boolean;
  attempt: number;
  /** When the last build began: without a listener, builds are spaced (no storm under load). */
  startedAt: number;
};

// One per process, whichever route bundle loads this module first (Next may load it more than once).
const KEY = Symbol.for('firebreak.status.snapshot');
const registry = globalThis as Record<symbol, Holder>;
registry[KEY] ??= {
  current: null,
  building: null,
  dirty: false,
  failedAt: 0,
  listener: null,
  listening: false,
  closed: false,
  attempt: 0,
  startedAt: 0,
};
const holder = registry[KEY];

const statusLog = logger('status');
const log = (line: string) => statusLog.warn(line);

function rebuild(): Promise<StatusSnapshot> {
  if (holder.building) {
    holder.dirty = true;
    return holder.building;
  }
  holder.dirty = false;
  holder.startedAt = Date.now();
  holder.building = buildSnapshot()
    .then((snapshot) => {
      // Nothing shown changed: keep the pages already rendered (and their ETags).
      if (holder.current?.version === snapshot.version) {
        holder.current.builtAt = snapshot.builtAt;
        holder.current.texts = snapshot.texts;
      } else holder.current = snapshot;
      holder.failedAt = 0;
      return holder.current;
    })
    .catch((error: Error) => {
      holder.failedAt = Date.now();
      log(`could not rebuild the status snapshot (${error.message}); serving the last one`);
      throw error;
    })
    .finally(() => {
      holder.building = null;
      if (holder.dirty) void rebuild().catch(() => {});
    });
  return holder.building;
}

/** How often the listening connection proves it is alive (a half-open one would hear nothing). */
const PING_MS = 15_000;

async function listen() {
  if (holder.listener || holder.closed) return;
  const client = createPgClient(
    'status snapshot',
    { connectionString: requireDatabaseUrl(), keepAlive: true, query_timeout: 5_000 },
    log,
  );
  holder.listener = client;
  let ping: NodeJS.Timeout | undefined;
  const retry = () => {
    if (holder.listener !== client) return;
    clearInterval(ping);
    holder.listener = null;
    holder.listening = false;
    client.end().catch(() => {});
    if (!holder.closed) setTimeout(() => void listen(), backoffMs(holder.attempt++)).unref();
  };
  client.on('error', retry);
  client.on('end', retry);
  client.on('notification', () => void rebuild().catch(() => {}));
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    holder.listening = true;
    holder.attempt = 0;
    ping = setInterval(() => void client.query('SELECT 1').catch(retry), PING_MS).unref();
    // Whatever changed while nobody listened, or since a first build began before LISTEN did.
    void rebuild().catch(() => {});
  } catch (error) {
    log(`cannot listen for status changes (${(error as Error).message}); retrying`);
    retry();
  }
}

/**
 * The current snapshot: from memory (no query), built on first use. A stale one (too old, or the
 * listener is down) is served while a new one is built in the background.
 */
export async function statusSnapshot(): Promise<StatusSnapshot> {
  void listen();
  const { current } = holder;
  if (!current) return holder.building ?? rebuild();
  // Without a listener (the database away, a pooler that cannot LISTEN) the snapshot is rebuilt at
  // most every few seconds, however many requests come.
  const stale = holder.listening
    ? Date.now() - current.builtAt.getTime() > MAX_AGE_MS
    : Date.now() - holder.startedAt > UNHEARD_REBUILD_MS;
  if (stale && !holder.building && Date.now() - holder.failedAt > UNHEARD_REBUILD_MS) void rebuild().catch(() => {});
  return current;
}

/**
 * A snapshot whose read began after this call (what was committed before it is in): a build in
 * flight may have begun earlier, so it is followed by a new one.
 */
export async function refreshStatusSnapshot(): Promise<StatusSnapshot> {
  if (holder.building) {
    holder.dirty = true;
    await holder.building.catch(() => {});
  }
  return holder.building ?? rebuild();
}

/** Whether this process hears changes as they commit (tests wait for it). */
export const statusListening = () => holder.listening;

/** Stops listening (tests, shutdown). */
export async function closeStatusSnapshot() {
  holder.closed = true;
  const client = holder.listener;
  holder.listener = null;
  holder.listening = false;
  holder.current = null;
  await client?.end().catch(() => {});
}
