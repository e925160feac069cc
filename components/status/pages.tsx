// The public status pages, rendered to static HTML once per snapshot (lib/status/pages.ts): no
// client script, no data but the snapshot's (only what was published). Notices go through the one
// shared, sanitised markdown renderer the approvers previewed (components/notice).
import type { ReactNode } from 'react';
import { WordDiff } from '@/components/disclosures/word-diff';
import { NoticeMarkdown } from '@/components/notice/notice-markdown';
import type { PublicChannel, PublicNotice, StatusSnapshot } from '@/lib/status/snapshot';

import { utcMinute } from '@/lib/time';

const STATUS_WORDS = {
  investigating: 'Investigating',
  identified: 'Cause identified',
  monitoring: 'Contained, monitoring',
  resolved: 'Resolved',
};

export function StatusDocument(props: { snapshot: StatusSnapshot; title: string; css: string; children: ReactNode }) {
  const { snapshot } = props;
  return (
    <html lang="en">
      {/* A whole static document rendered outside Next's pages (lib/status/http.ts), so its own <head>:
          biome.json turns noHeadElement off for this file (a suppression comment here would depend on
          the checkout's path, since the rule leaves anything under an app/ directory alone). */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${snapshot.exchange.name} status`}</title>
        <meta name="description" content={`Incident notices and official channels of ${snapshot.exchange.name}.`} />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="alternate" type="application/atom+xml" title="Notices (Atom)" href="/status/feed.xml" />
        <style>{props.css}</style>
      </head>
      <body>
        <CompromisedBanner channels={snapshot.compromised} />
        <header className="top">
          <div className="wrap">
            {/* biome-ignore lint/performance/noImgElement: static HTML, no next/image runtime on these pages */}
            <img src={snapshot.exchange.logoUrl} alt="" width={32} height={32} />
            <a className="name" href="/status">
              {snapshot.exchange.name} status
            </a>
            <nav aria-label="Status pages">
              <a href="/status/history">History</a>
              <a href="/status/verify">Verify a message</a>
            </nav>
          </div>
        </header>
        <main className="wrap">{props.children}</main>
        <footer className="wrap">
          <ul>
            <li>
              <a href="/status/feed.xml">Atom feed</a>
            </li>
            <li>
              <a href="/api/v1/status">JSON</a>
            </li>
            <li>
              <a href="/.well-known/firebreak-notice-keys.json">Notice signing keys</a>
            </li>
            <li>
              <a href="/.well-known/security.txt">security.txt</a>
            </li>
          </ul>
          <p>We will never ask for your password, your 2FA codes or for funds. Contact: {snapshot.exchange.contact}</p>
        </footer>
      </body>
    </html>
  );
}

function CompromisedBanner({ channels }: { channels: PublicChannel[] }) {
  if (!channels.length) return null;
  return (
    <div className="banner" role="alert" data-testid="compromised-banner">
      <div className="wrap">
        {channels.map((c) => (
          <p key={c.id}>
            <strong>
              Our {c.name} account {c.handle} is compromised: ignore what it posts since {utcMinute(c.since)}.
            </strong>{' '}
            {c.note}
          </p>
        ))}
        <p>
          This warning is signed:{' '}
          {channels.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ', '}
              <a href={`/status/verify?statement=${c.id}`}>check the one about {c.name}</a>
            </span>
          ))}
          .
        </p>
      </div>
    </div>
  );
}

function NoticeCard({ notice, full }: { notice: PublicNotice; full: boolean }) {
  const latest = notice.revisions[0];
  return (
    <article className="card" data-testid="public-notice">
      <h3>
        <a href={`/status/notices/${notice.id}`}>{latest.title}</a>
      </h3>
      <p className="meta">
        <span className={`tag ${notice.status}`}>{STATUS_WORDS[notice.status]}</span>
        {notice.revisions.length > 1 && <span className="tag updated">Updated</span>}
        {notice.incident} · published {utcMinute(notice.firstPublishedAt)}
        {notice.revisions.length > 1 && ` · updated ${utcMinute(latest.publishedAt)} (revision ${latest.revision})`}
      </p>
      {full && (
        <div className="notice-body">
          <NoticeMarkdown body={latest.body} />
        </div>
      )}
      <p>
        <a href={`/status/notices/${notice.id}`}>
          {notice.revisions.length > 1
            ? `Every revision and what changed (${notice.revisions.length})`
            : 'Notice page and its signature'}
        </a>
      </p>
    </article>
  );
}

function Channels({ channels }: { channels: PublicChannel[] }) {
  if (!channels.length) return <p>No official channels are listed yet.</p>;
  return (
    <ul className="channels" data-testid="official-channels">
      {channels.map((c) => (
        <li key={c.id} id={`channel-${c.id}`}>
          <span className={`tag ${c.status}`}>
            {c.status === 'TRUSTED' ? 'Official' : c.status === 'COMPROMISED' ? 'Compromised' : 'Recovered'}
          </span>
          <strong>{c.name}</strong>
          {/* A compromised channel is not linked: it is the attacker's now. */}
          {c.url && c.status !== 'COMPROMISED' ? (
            <a href={c.url} rel="noopener noreferrer nofollow">
              {c.handle}
            </a>
          ) : (
            <span>{c.handle}</span>
          )}
          {c.status === 'COMPROMISED' && (
            <span className="meta">compromised since {utcMinute(c.since)}: do not follow it</span>
          )}
          {c.status === 'RECOVERED' && <span className="meta">back in our hands since {utcMinute(c.since)}</span>}
          {c.note && <span className="note">{c.note}</span>}
          {c.signed && (
            <details className="note">
              <summary>Signed statement</summary>
              <pre>{JSON.stringify(c.signed, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

export function StatusHome({ snapshot }: { snapshot: StatusSnapshot }) {
  const active = snapshot.notices.filter((n) => n.active);
  return (
    <>
      <h1 className="sr-only">Status</h1>
      <p className={`state ${snapshot.state.kind}`} data-testid="status-state">
        {snapshot.state.description}
      </p>
      <h2>Notices</h2>
      {active.length ? (
        active.map((n) => <NoticeCard key={n.id} notice={n} full />)
      ) : (
        <p>
          No notice about an incident in progress. Earlier notices are in the <a href="/status/history">history</a>.
        </p>
      )}
      <h2 id="channels">Official channels</h2>
      <p className="meta">
        Only these speak for {snapshot.exchange.name}. A message elsewhere, or from a channel marked compromised, is not
        ours: <a href="/status/verify">check it here</a>.
      </p>
      <div className="card">
        <Channels channels={snapshot.channels} />
      </div>
      <h2>Get notices by email</h2>
      <form className="inline card" method="post" action="/status/subscribe">
        <div className="field">
          <label htmlFor="email">Email address</label>
          <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
        </div>
        <button type="submit">Subscribe</button>
      </form>
      <p className="meta">We send a confirmation link first. Every notice mail has a one-click unsubscribe.</p>
      <p>
        <a href="/status/history">All notices, newest first</a>
      </p>
    </>
  );
}

export function HistoryPage(props: { notices: PublicNotice[]; page: number; pages: number }) {
  return (
    <>
      <h1>History</h1>
      {props.notices.length ? (
        props.notices.map((n) => <NoticeCard key={n.id} notice={n} full={false} />)
      ) : (
        <p>Nothing has been published.</p>
      )}
      {props.pages > 1 && (
        <nav className="pager" aria-label="Pages">
          {props.page > 1 ? <a href={`/status/history?page=${props.page - 1}`}>Newer</a> : <span />}
          <span>
            Page {props.page} of {props.pages}
          </span>
          {props.page < props.pages ? <a href={`/status/history?page=${props.page + 1}`}>Older</a> : <span />}
        </nav>
      )}
    </>
  );
}

export function NoticePage(props: {
  notice: PublicNotice;
  diffs: Map<number, { value: string; change: 'same' | 'added' | 'removed' }[]>;
}) {
  const { notice } = props;
  const latest = notice.revisions[0];
  return (
    <>
      <h1 data-testid="notice-title">{latest.title}</h1>
      <p className="meta">
        <span className={`tag ${notice.status}`}>{STATUS_WORDS[notice.status]}</span>
        {notice.incident} · revision {latest.revision} published {utcMinute(latest.publishedAt)}
      </p>
      <div className="card notice-body">
        <NoticeMarkdown body={latest.body} />
      </div>
      <h2>Every published revision</h2>
      <p className="meta">
        A published notice is never edited in place: each change is a new revision, signed, with what changed.
      </p>
      {notice.revisions.map((r) => {
        const diff = props.diffs.get(r.revision);
        return (
          <section className="card" key={r.revision} data-testid="notice-revision">
            <h3>
              Revision {r.revision} · {utcMinute(r.publishedAt)}
            </h3>
            {diff ? (
              <>
                <p className="meta">What changed from revision {r.revision - 1}:</p>
                <div className="diff">
                  <WordDiff parts={diff} />
                </div>
              </>
            ) : (
              <p className="meta">The first published text.</p>
            )}
            <details>
              <summary>Signed notice (paste it into Verify, or check it offline with our public keys)</summary>
              <pre>{JSON.stringify(r.signed, null, 2)}</pre>
            </details>
          </section>
        );
      })}
    </>
  );
}

export type VerifyResult =
  /** `outdated`: ours, but replaced since; `address`: a link on our site that is not a notice. */
  | { authentic: true | 'outdated' | 'address' | 'excerpt'; lines: string[]; link?: string }
  | { authentic: false; reason: string }
  | { error: string };

export function VerifyPage(props: { text?: string; result?: VerifyResult; prefilled?: string }) {
  const { result } = props;
  return (
    <>
      <h1>Verify a message</h1>
      <p>
        Paste a message that claims to be from us — the text of a mail or post, a link, or a notice’s signed JSON — and
        we tell you whether we published it.
      </p>
      {result && 'error' in result && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
      {result && 'authentic' in result && result.authentic && (
        <div className={`verdict ${result.authentic === true ? 'yes' : 'warn'}`} role="status" data-testid="verdict">
          <p>
            <strong>
              {result.authentic === true
                ? 'Genuine: we published this.'
                : result.authentic === 'outdated'
                  ? 'Ours, but out of date.'
                  : result.authentic === 'excerpt'
                    ? 'These words are ours; the message may not be.'
                    : 'Our address, not a notice.'}
            </strong>
          </p>
          {result.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
          {result.link && (
            <p>
              <a href={result.link}>Read it on our status page</a>
            </p>
          )}
        </div>
      )}
      {result && 'authentic' in result && !result.authentic && (
        <div className="verdict no" role="status" data-testid="verdict">
          <p>
            <strong>Not ours.</strong>
          </p>
          <p>{result.reason}</p>
        </div>
      )}
      <form method="post" action="/status/verify" className="card">
        <label htmlFor="text">The message, link or signed notice</label>
        <textarea id="text" name="text" required maxLength={60000} defaultValue={props.text} />
        {props.prefilled && <p className="meta">{props.prefilled}</p>}
        <p>
          <button type="submit">Verify</button>
        </p>
      </form>
      <p className="meta">
        Notices are signed with Ed25519; the public keys are at{' '}
        <a href="/.well-known/firebreak-notice-keys.json">/.well-known/firebreak-notice-keys.json</a> and named in our{' '}
        <a href="/.well-known/security.txt">security.txt</a>.
      </p>
    </>
  );
}

export function MessagePage(props: { heading: string; children: ReactNode }) {
  return (
    <>
      <h1>{props.heading}</h1>
      <div className="card">{props.children}</div>
      <p>
        <a href="/status">Back to the status page</a>
      </p>
    </>
  );
}
