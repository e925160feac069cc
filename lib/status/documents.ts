// The status page's machine-readable forms, each made once per snapshot:
// - the Atom feed (RFC 4287, by the `feed` package): one entry per published revision, ids that
//   never change, the sanitised HTML the page shows;
// - our JSON (`GET /api/v1/status`, declared in lib/api/operations.ts);
// - a Statuspage-compatible /api/v2/summary.json (their public shape: page, status {indicator,
//   description}, components, incidents with incident_updates, scheduled_maintenances), so
//   existing Statuspage clients and widgets read it unchanged. Official channels are its
//   components (a compromised one is a major outage); our incidents with a published notice,
//   unresolved, are its incidents, named by their newest notice (never the internal title).
import 'server-only';
import { Feed } from 'feed';
import { createElement } from 'react';
import { NoticeMarkdown } from '@/components/notice/notice-markdown';
import { OPERATIONS } from '@/lib/api/operations';
import { publicUrl } from '@/lib/config';
import type { StatusSnapshot } from './snapshot';

const base = () => publicUrl() ?? '';

async function noticeHtml(body: string) {
  const { renderToStaticMarkup } = await import('react-dom/server');
  return renderToStaticMarkup(createElement(NoticeMarkdown, { body }));
}

/** The feed package marks an entry's title type="html": a title is text, so it goes in escaped. */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function atomFeed(snapshot: StatusSnapshot) {
  const site = `${base()}/status`;
  const feed = new Feed({
    title: `${snapshot.exchange.name} notices`,
    description: `Incident notices of ${snapshot.exchange.name}, every published revision.`,
    id: `${site}/feed.xml`,
    link: site,
    language: 'en',
    updated: snapshot.lastModified,
    generator: 'Firebreak',
    copyright: snapshot.exchange.name,
    feedLinks: { atom: `${site}/feed.xml` },
    author: { name: snapshot.exchange.name },
  });
  const entries = snapshot.notices
    .flatMap((notice) => notice.revisions.map((revision) => ({ notice, revision })))
    .sort((a, b) => b.revision.publishedAt.getTime() - a.revision.publishedAt.getTime());
  for (const { notice, revision } of entries)
    feed.addItem({
      title: escapeHtml(`${revision.title} (revision ${revision.revision}, ${revision.state})`),
      // A tag URI per revision (RFC 4151): stable whatever the page's address becomes.
      id: `tag:firebreak,2026:notice:${notice.id}:${revision.revision}`,
      link: `${site}/notices/${notice.id}#revision-${revision.revision}`,
      date: revision.publishedAt,
      published: revision.publishedAt,
      content: await noticeHtml(revision.body),
    });
  // A compromised channel, and its recovery, are news too: an entry per current statement.
  for (const channel of snapshot.channels.filter((c) => c.status !== 'TRUSTED' && c.signed))
    feed.addItem({
      title: escapeHtml(
        channel.status === 'COMPROMISED'
          ? `Our ${channel.name} account ${channel.handle} is compromised: ignore what it posts`
          : `Our ${channel.name} account ${channel.handle} is back in our hands`,
      ),
      id: `tag:firebreak,2026:channel:${channel.id}:${channel.since.toISOString()}`,
      link: `${site}#channel-${channel.id}`,
      date: channel.since,
      published: channel.since,
      content: escapeHtml(channel.note ?? ''),
    });
  return feed.atom1();
}

/** Our JSON, through its declared view (lib/api/views.ts): only declared fields leave. */
export function statusJson(snapshot: StatusSnapshot) {
  const data = {
    page: { name: snapshot.exchange.name, url: `${base()}/status`, updatedAt: snapshot.lastModified },
    state: snapshot.state,
    notices: snapshot.notices.map((n) => ({
      id: n.id,
      incident: n.incident,
      status: n.status,
      active: n.active,
      url: `${base()}/status/notices/${n.id}`,
      firstPublishedAt: n.firstPublishedAt,
      updatedAt: n.updatedAt,
      revisions: n.revisions.map((r) => ({
        revision: r.revision,
        title: r.title,
        body: r.body,
        publishedAt: r.publishedAt,
        signed: r.signed,
      })),
    })),
    channels: snapshot.channels.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      handle: c.handle,
      url: c.url,
      status: c.status,
      since: c.since,
      note: c.note,
      signed: c.signed,
    })),
  };
  return JSON.stringify(OPERATIONS['GET /status'].response.parse(data));
}

const INDICATOR_RANK = ['none', 'minor', 'major', 'critical'] as const;

export function statuspageSummary(snapshot: StatusSnapshot) {
  const pageId = snapshot.exchange.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const components = snapshot.channels.map((c, position) => ({
    id: c.id,
    name: `${c.name} ${c.handle}`,
    status: c.status === 'COMPROMISED' ? 'major_outage' : 'operational',
    created_at: iso(c.signed ? new Date(c.signed.channel.since) : c.since),
    updated_at: iso(c.since),
    position: position + 1,
    description: c.note,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  }));
  const open = snapshot.incidents.filter((i) => i.status !== 'resolved');
  const incidents = open.map((incident) => {
    const notices = incident.notices.map((id) => snapshot.notices.find((n) => n.id === id)!);
    const updates = notices
      .flatMap((n) => n.revisions.map((r) => ({ n, r })))
      .sort((a, b) => b.r.publishedAt.getTime() - a.r.publishedAt.getTime());
    return {
      id: incident.reference,
      name: updates[0].r.title,
      status: incident.status,
      created_at: iso(incident.startedAt),
      updated_at: iso(incident.updatedAt),
      monitoring_at: null,
      resolved_at: iso(incident.resolvedAt),
      impact: incident.impact,
      shortlink: `${base()}/status/notices/${notices[0].id}`,
      started_at: iso(incident.startedAt),
      page_id: pageId,
      incident_updates: updates.map(({ n, r }) => ({
        id: `${n.id}-${r.revision}`,
        status: incident.status,
        body: r.body,
        incident_id: incident.reference,
        created_at: iso(r.publishedAt),
        updated_at: iso(r.publishedAt),
        display_at: iso(r.publishedAt),
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      })),
      components: [],
    };
  });
  const worst = [...open.map((i) => i.impact), ...(snapshot.compromised.length ? (['major'] as const) : [])].reduce<
    (typeof INDICATOR_RANK)[number]
  >((a, b) => (INDICATOR_RANK.indexOf(b) > INDICATOR_RANK.indexOf(a) ? b : a), 'none');
  return JSON.stringify({
    page: {
      id: pageId,
      name: snapshot.exchange.name,
      url: `${base()}/status`,
      time_zone: 'Etc/UTC',
      updated_at: iso(snapshot.lastModified),
    },
    components,
    incidents,
    scheduled_maintenances: [],
    status: { indicator: worst, description: snapshot.state.description },
  });
}
