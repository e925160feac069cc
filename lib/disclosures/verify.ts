// "Is this really theirs?" for anyone (POST /api/v1/notices/verify and the /status/verify page):
// - a notice's signed JSON is authentic when the signature is valid under one of our keys and it
//   is exactly what we published;
// - a channel statement's signed JSON (the banner "our X account is compromised") likewise, and
//   the answer says whether it is still the channel's status;
// - pasted text is authentic only when it is, whitespace aside, the title and body (or the body,
//   or the notice mail as sent) of a published revision — anything more or less is not ours.
// Answered from the public page's snapshot (lib/status/snapshot.ts): an index of the folded text
// of every published revision, so a flood of phishing checks reads no table. A miss checks
// whether anything was published since the snapshot (one indexed read), so a notice published a
// moment ago on another replica is not called phishing.
import 'server-only';
import { z } from 'zod';
import { db } from '@/lib/db';
import {
  foldText,
  type PublicNotice,
  refreshStatusSnapshot,
  type StatusSnapshot,
  statusSnapshot,
} from '@/lib/status/snapshot';
import { parseInput } from '@/lib/validation';
import { MAX_NOTICE_CHARS } from './schema';
import {
  canonicalPayload,
  channelSignatureValid,
  signatureValid,
  signedChannelStatement,
  signedNotice,
} from './signing';

export const verifyNoticeInput = z.union(
  // The text: a notice's title and body at most, with room for the whitespace mail adds.
  [
    signedNotice,
    signedChannelStatement,
    z.strictObject({
      text: z
        .string()
        .trim()
        .min(1)
        .max(MAX_NOTICE_CHARS + 1000),
    }),
  ],
  {
    message:
      'Send a notice as we publish it ({notice, signature, kid}), a channel statement ({channel, signature, kid}) or the text you received ({text}).',
  },
);
export type VerifyNoticeInput = z.input<typeof verifyNoticeInput>;

type Found = {
  notice: string;
  incident: string;
  revision: number;
  title: string;
  publishedAt: string;
  url: string;
  /** A newer published revision of the same notice, if there is one: read that instead. */
  supersededBy: number | null;
};
type FoundChannel = {
  channel: string;
  label: string;
  status: 'TRUSTED' | 'COMPROMISED' | 'RECOVERED';
  since: string;
  /** The channel's status now, when a newer statement replaced this one. */
  currentStatus: 'TRUSTED' | 'COMPROMISED' | 'RECOVERED' | null;
};
export type Verdict =
  | { authentic: true; how: 'signature' | 'text'; notice: Found }
  | { authentic: true; how: 'signature'; channel: FoundChannel }
  /** `excerptOf`: the words are a quote of this notice, but a quote proves nothing about the message around it. */
  | { authentic: false; reason: string; excerptOf?: Found };

/** A pasted text this long (folded) or longer that a published revision contains is reported as a quote of it. */
const EXCERPT_MIN_CHARS = 40;

export const PHISHING = 'Treat it as phishing: do not follow its links or instructions.';

/**
 * A newer snapshot if something was published that this one lacks (a miss must not be a stale
 * one): one count of a small table, compared with the snapshot's, so no clock is trusted. With the
 * database away, the snapshot answers alone.
 */
async function freshAfterMiss(snapshot: StatusSnapshot) {
  const known = snapshot.notices.reduce((n, notice) => n + notice.revisions.length, 0);
  try {
    return (await db.publishedNotice.count()) > known ? await refreshStatusSnapshot() : null;
  } catch {
    return null;
  }
}

/** The footer the dispatcher adds to a subscriber's notice mail (lib/mail/chunk.ts): not part of the notice. */
const UNSUBSCRIBE_FOOTER = /\s*Unsubscribe: \S+\s*$/;

export async function verifyNotice(raw: VerifyNoticeInput): Promise<Verdict> {
  const input = parseInput(verifyNoticeInput, raw);
  const snapshot = await statusSnapshot();
  if ('text' in input) {
    const verdict = verifyText(snapshot, input.text);
    if (verdict.authentic) return verdict;
    const fresh = await freshAfterMiss(snapshot);
    return fresh ? verifyText(fresh, input.text) : verdict;
  }
  if ('channel' in input) {
    if (!channelSignatureValid(input))
      return { authentic: false, reason: `The signature is not valid under any of our keys. ${PHISHING}` };
    // A validly signed statement is ours (we sign nothing we do not state); whether it is still
    // the channel's status comes from the snapshot.
    const current = snapshot.channels.find((c) => c.id === input.channel.channel.toLowerCase());
    const same = current?.signed && canonicalPayload(current.signed.channel) === canonicalPayload(input.channel);
    return {
      authentic: true,
      how: 'signature',
      channel: {
        channel: input.channel.channel,
        label: current?.label ?? `${input.channel.kind}: ${input.channel.handle}`,
        status: input.channel.status,
        since: input.channel.since,
        currentStatus: same ? null : (current?.status ?? null),
      },
    };
  }
  if (!signatureValid(input))
    return { authentic: false, reason: `The signature is not valid under any of our notice keys. ${PHISHING}` };
  const lookup = (s: StatusSnapshot) => {
    const notice = s.notices.find((n) => n.id === input.notice.notice.toLowerCase());
    const revision = notice?.revisions.find((r) => r.revision === input.notice.revision);
    return notice && revision && canonicalPayload(revision.signed.notice) === canonicalPayload(input.notice)
      ? { notice, revision: revision.revision }
      : null;
  };
  const hit = lookup(snapshot) ?? (await freshAfterMiss(snapshot).then((fresh) => fresh && lookup(fresh)));
  if (!hit) return { authentic: false, reason: `We never published this notice as it is. ${PHISHING}` };
  return { authentic: true, how: 'signature', notice: found(hit.notice, hit.revision) };
}

function verifyText(snapshot: StatusSnapshot, text: string): Verdict {
  const hit = snapshot.texts.get(foldText(text)) ?? snapshot.texts.get(foldText(text.replace(UNSUBSCRIBE_FOOTER, '')));
  const notice = hit && snapshot.notices.find((n) => n.id === hit.notice);
  if (!hit || !notice) {
    const folded = foldText(text);
    const quoted = folded.length >= EXCERPT_MIN_CHARS ? snapshot.plain.find((p) => p.text.includes(folded)) : undefined;
    const source = quoted && snapshot.notices.find((n) => n.id === quoted.notice);
    if (quoted && source)
      return {
        authentic: false,
        reason: `These words are a quote of our notice, not the whole of it: a quote can be wrapped in anything. Act only on the notice itself, on our status page.`,
        excerptOf: found(source, quoted.revision),
      };
    return {
      authentic: false,
      reason: `This text is not one of our published notices (compared word for word, the title and body). ${PHISHING}`,
    };
  }
  return { authentic: true, how: 'text', notice: found(notice, hit.revision) };
}

function found(notice: PublicNotice, revision: number): Found {
  const n = notice.revisions.find((r) => r.revision === revision)!.signed.notice;
  const newest = notice.revisions[0].revision;
  return {
    notice: n.notice,
    incident: n.incident,
    revision: n.revision,
    title: n.title,
    publishedAt: n.publishedAt,
    url: n.url,
    supersededBy: newest > n.revision ? newest : null,
  };
}
