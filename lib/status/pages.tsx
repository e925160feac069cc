// The public pages as responses: each rendered once per snapshot and served from memory
// (lib/status/http.ts), except the answers to one person's form (verify, subscribe).
import 'server-only';
import type { ReactNode } from 'react';
import {
  HistoryPage,
  MessagePage,
  NoticePage,
  StatusDocument,
  StatusHome,
  VerifyPage,
  type VerifyResult,
} from '@/components/status/pages';
import { STATUS_CSS } from '@/components/status/style';
import { readText } from '@/lib/api/route';
import { publicUrl } from '@/lib/config';
import { wordDiff } from '@/lib/disclosures';
import { PHISHING, verifyNotice } from '@/lib/disclosures/verify';
import { DomainError } from '@/lib/errors';
import { utcMinute } from '@/lib/time';
import { isUuid } from '@/lib/validation';
import { atomFeed, statusJson, statuspageSummary } from './documents';
import { cached, memo, renderHtml, uncached } from './http';
import { type StatusSnapshot, statusSnapshot } from './snapshot';

const HTML = 'text/html; charset=utf-8';
export const HISTORY_PAGE_SIZE = 20;

const documentOf = (snapshot: StatusSnapshot, title: string, children: ReactNode) =>
  renderHtml(
    <StatusDocument snapshot={snapshot} title={title} css={STATUS_CSS}>
      {children}
    </StatusDocument>,
  );

/** Runs a public handler with the snapshot; without one (the database never reached yet), a plain 503. */
export async function withSnapshot(handle: (snapshot: StatusSnapshot) => Promise<Response>): Promise<Response> {
  let snapshot: StatusSnapshot;
  try {
    snapshot = await statusSnapshot();
  } catch {
    return uncached(
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Status</title></head><body><h1>The status page is starting</h1><p>Try again in a minute.</p></body></html>',
      503,
      HTML,
      null,
    );
  }
  return handle(snapshot);
}

async function notFound(request: Request, snapshot: StatusSnapshot) {
  const entry = await memo(snapshot, 'not-found', () =>
    documentOf(
      snapshot,
      'Not found',
      <MessagePage heading="No such page">
        <p>We published nothing here. If a message sent you to this address, it may not be ours.</p>
      </MessagePage>,
    ),
  );
  return cached(request, snapshot, { ...entry, status: 404 }, HTML);
}

/** A page or document that is the same for every request: made once per snapshot, served with validators. */
const oneForAll =
  (key: string, contentType: string, make: (snapshot: StatusSnapshot) => string | Promise<string>) =>
  (request: Request) =>
    withSnapshot(async (snapshot) =>
      cached(request, snapshot, await memo(snapshot, key, () => make(snapshot)), contentType),
    );

export const homeResponse = oneForAll('home', HTML, (snapshot) =>
  documentOf(snapshot, 'Status', <StatusHome snapshot={snapshot} />),
);

export const historyResponse = (request: Request) =>
  withSnapshot(async (snapshot) => {
    const pages = Math.max(1, Math.ceil(snapshot.notices.length / HISTORY_PAGE_SIZE));
    const raw = new URL(request.url).searchParams.get('page') ?? '1';
    const page = /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
    if (page < 1 || page > pages) return notFound(request, snapshot);
    const notices = snapshot.notices.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE);
    const entry = await memo(snapshot, `history:${page}`, () =>
      documentOf(snapshot, 'History', <HistoryPage notices={notices} page={page} pages={pages} />),
    );
    return cached(request, snapshot, entry, HTML);
  });

export const noticeResponse = (request: Request, id: string) =>
  withSnapshot(async (snapshot) => {
    const notice = isUuid(id) ? snapshot.notices.find((n) => n.id === id.toLowerCase()) : undefined;
    if (!notice) return notFound(request, snapshot);
    const entry = await memo(snapshot, `notice:${notice.id}`, () => {
      const diffs = new Map(
        notice.revisions.slice(0, -1).map((r, i) => [r.revision, wordDiff(notice.revisions[i + 1], r)] as const),
      );
      return documentOf(snapshot, notice.revisions[0].title, <NoticePage notice={notice} diffs={diffs} />);
    });
    return cached(request, snapshot, entry, HTML);
  });

/** The form; `?statement=<channel>` fills it with that channel's signed statement (the banner's "check it"). */
export const verifyFormResponse = (request: Request) =>
  withSnapshot(async (snapshot) => {
    const id = new URL(request.url).searchParams.get('statement')?.toLowerCase();
    const channel = id ? snapshot.channels.find((c) => c.id === id && c.signed) : undefined;
    const entry = channel
      ? await memo(snapshot, `verify:${channel.id}`, () =>
          documentOf(
            snapshot,
            'Verify',
            <VerifyPage
              text={JSON.stringify(channel.signed, null, 2)}
              prefilled={`Our signed statement about ${channel.label}, as this page shows it. Press Verify to check its signature against our keys; to check it without trusting this site, use the keys and the README's recipe.`}
            />,
          ),
        )
      : await memo(snapshot, 'verify', () => documentOf(snapshot, 'Verify', <VerifyPage />));
    return cached(request, snapshot, entry, HTML);
  });

/** A pasted link: ours only if it is on our public address; a notice link names the notice. */
function verifyLink(snapshot: StatusSnapshot, link: URL): VerifyResult {
  const ours = publicUrl();
  if (!ours || link.origin !== new URL(ours).origin)
    return {
      authentic: false,
      reason: `This link leads to ${link.host}, which is not our site${ours ? ` (${new URL(ours).host})` : ''}. ${PHISHING}`,
    };
  const id = /^\/status\/notices\/([0-9a-f-]{36})\/?$/i.exec(link.pathname)?.[1]?.toLowerCase();
  const notice = id && snapshot.notices.find((n) => n.id === id);
  if (id && !notice) return { authentic: false, reason: `We published no notice at this address. ${PHISHING}` };
  return notice
    ? {
        authentic: true,
        lines: [`The link is to our notice “${notice.revisions[0].title}” (${notice.incident}).`],
        link: `/status/notices/${notice.id}`,
      }
    : {
        authentic: 'address',
        lines: [
          `The link is on our site (${link.host}), but it is not one of our notices: we cannot vouch for what it asks of you.`,
        ],
      };
}

/** The public forms' fields, from a body of at most `limit` bytes (a form post; anything else reads as empty). */
export async function formFields(request: Request, limit = 128 * 1024): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(await readText(request, limit));
}

/** POST /status/verify (a form): the verdict on the page, never stored. */
export const verifyResponse = (request: Request) =>
  withSnapshot(async (snapshot) => {
    let text = '';
    let result: VerifyResult;
    try {
      text = (await formFields(request)).get('text')?.trim() ?? '';
      result = await verdictOn(snapshot, text);
    } catch (error) {
      result = { error: error instanceof DomainError ? error.message : 'Send the message as text in the form.' };
    }
    const body = await documentOf(snapshot, 'Verify', <VerifyPage text={text.slice(0, 60_000)} result={result} />);
    return uncached(body, 'error' in result ? 400 : 200, HTML, snapshot);
  });

async function verdictOn(snapshot: StatusSnapshot, text: string): Promise<VerifyResult> {
  if (!text) return { error: 'Paste the message, link or signed notice first.' };
  if (/^https?:\/\/\S+$/i.test(text)) {
    try {
      return verifyLink(snapshot, new URL(text));
    } catch {
      return { error: 'That link cannot be read.' };
    }
  }
  let input: unknown = { text };
  if (text.startsWith('{')) {
    try {
      input = JSON.parse(text);
    } catch {
      return { error: 'This looks like JSON but cannot be read: paste the signed notice exactly as we publish it.' };
    }
  }
  let verdict: Awaited<ReturnType<typeof verifyNotice>>;
  try {
    verdict = await verifyNotice(input as never);
  } catch (error) {
    // JSON that is not in the form of anything we sign is not ours either.
    if (error instanceof DomainError && !(typeof input === 'object' && input !== null && 'text' in input))
      return { authentic: false, reason: `This is not in the form of a notice or statement we sign. ${PHISHING}` };
    throw error;
  }
  if (!verdict.authentic && verdict.excerptOf) {
    const e = verdict.excerptOf;
    return {
      authentic: 'excerpt',
      lines: [
        `These words appear in our notice “${e.title}” (${e.incident}), revision ${e.revision}. A quote can be wrapped in anything: act only on what the notice itself says, on this site.`,
      ],
      link: `/status/notices/${e.notice}`,
    };
  }
  if (!verdict.authentic) return { authentic: false, reason: verdict.reason };
  if ('channel' in verdict) {
    const c = verdict.channel;
    return {
      // An old statement of ours is no longer the truth: a hijacker could repost "this account is ours".
      authentic: c.currentStatus ? 'outdated' : true,
      lines: [
        `We signed this statement: ${c.label} was ${c.status.toLowerCase()} as of ${utcMinute(new Date(c.since))}.`,
        ...(c.currentStatus
          ? [`It is out of date: the channel is ${c.currentStatus.toLowerCase()} now. Go by that.`]
          : ['It is the channel’s current status.']),
      ],
      link: '/status#channels',
    };
  }
  const n = verdict.notice;
  return {
    authentic: n.supersededBy ? 'outdated' : true,
    lines: [
      `It is our notice “${n.title}” (${n.incident}), revision ${n.revision}, published ${utcMinute(new Date(n.publishedAt))}${verdict.how === 'signature' ? ', with a valid signature' : ''}.`,
      ...(n.supersededBy ? [`It is out of date: revision ${n.supersededBy} replaced it. Read that one.`] : []),
    ],
    link: `/status/notices/${n.notice}`,
  };
}

/** A page for one step of a subscription (never stored). */
export async function messageResponse(status: number, heading: string, children: ReactNode) {
  return withSnapshot(async (snapshot) =>
    uncached(
      await documentOf(snapshot, heading, <MessagePage heading={heading}>{children}</MessagePage>),
      status,
      HTML,
      snapshot,
    ),
  );
}

export const feedResponse = oneForAll('feed', 'application/atom+xml; charset=utf-8', atomFeed);
export const summaryResponse = oneForAll('summary', 'application/json', statuspageSummary);
export const statusJsonResponse = oneForAll('status-json', 'application/json', statusJson);

/**
 * The public GETs by path: what the web process (web/main.ts) answers before Next's router sees
 * the request. The same functions serve the route files under app/(public) and app/api, so a
 * deployment that runs `next start` serves the same bytes, only slower.
 */
export function publicGet(pathname: string): ((request: Request) => Promise<Response>) | null {
  switch (pathname) {
    case '/status':
      return homeResponse;
    case '/status/history':
      return historyResponse;
    case '/status/verify':
      return verifyFormResponse;
    case '/status/feed.xml':
      return feedResponse;
    case '/api/v2/summary.json':
      return summaryResponse;
    case '/api/v1/status':
      return statusJsonResponse;
  }
  // A notice id is a uuid: anything else (malformed escapes included) is answered 404 as it is.
  const notice = /^\/status\/notices\/([^/]+)$/.exec(pathname);
  return notice ? (request) => noticeResponse(request, notice[1]) : null;
}
