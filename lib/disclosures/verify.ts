// "Is this notice really theirs?" for anyone (POST /api/v1/notices/verify, later the /status/verify
// page): a notice's signed JSON is authentic when the signature is valid under one of our keys
// and it is exactly what we published; pasted text is authentic only when it is, whitespace
// aside, the title and body (or the body) of a published revision — anything more or less is not
// ours, and the answer says to treat it as phishing.
import 'server-only';
import { z } from 'zod';
import { publicUrl } from '@/lib/config';
import { db } from '@/lib/db';
import { parseInput } from '@/lib/validation';
import { noticeUrls } from './index';
import { noticeMail } from './notify';
import { MAX_NOTICE_CHARS } from './schema';
import { canonicalPayload, type NoticePayload, noticePayload, signatureValid, signedNotice } from './signing';

export const verifyNoticeInput = z.union(
  // The text: a notice's title and body at most, with room for the whitespace mail adds.
  [
    signedNotice,
    z.strictObject({
      text: z
        .string()
        .trim()
        .min(1)
        .max(MAX_NOTICE_CHARS + 1000),
    }),
  ],
  { message: 'Send a notice as we publish it ({notice, signature, kid}) or the text you received ({text}).' },
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
export type Verdict =
  | { authentic: true; how: 'signature' | 'text'; notice: Found }
  | { authentic: false; reason: string };

const PHISHING = 'Treat it as phishing: do not follow its links or instructions.';
const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

export async function verifyNotice(raw: VerifyNoticeInput): Promise<Verdict> {
  const input = parseInput(verifyNoticeInput, raw);
  if ('text' in input) return verifyText(input.text);
  if (!signatureValid(input))
    return { authentic: false, reason: `The signature is not valid under any of our notice keys. ${PHISHING}` };
  const published = await db.publishedNotice.findUnique({
    where: { disclosureId_revision: { disclosureId: input.notice.notice, revision: input.notice.revision } },
  });
  if (!published || published.payload !== canonicalPayload(input.notice))
    return { authentic: false, reason: `We never published this notice as it is. ${PHISHING}` };
  return { authentic: true, how: 'signature', notice: await found(input.notice) };
}

/**
 * Pasted text is ours when it is, whitespace aside, a published revision's body, its title and
 * body, or the notice mail as we sent it (with or without its subject line). A few notices a
 * year: they are compared one by one.
 */
async function verifyText(text: string): Promise<Verdict> {
  const pasted = fold(text);
  const published = await db.publishedNotice.findMany({
    orderBy: { publishedAt: 'desc' },
    select: { payload: true, keyId: true },
  });
  const verifyUrl = publicUrl() ? noticeUrls().verify : null;
  for (const { payload, keyId } of published) {
    const notice = noticePayload.parse(JSON.parse(payload));
    const forms = [notice.body, `${notice.title}\n${notice.body}`];
    if (verifyUrl) {
      const mail = noticeMail(notice, keyId, verifyUrl);
      forms.push(mail.text, `${mail.subject}\n${mail.text}`);
    }
    if (forms.some((form) => fold(form) === pasted))
      return { authentic: true, how: 'text', notice: await found(notice) };
  }
  return {
    authentic: false,
    reason: `This text is not one of our published notices (compared word for word, the title and body). ${PHISHING}`,
  };
}

async function found(n: NoticePayload): Promise<Found> {
  const newest = await db.disclosure.findUnique({ where: { id: n.notice }, select: { publishedRevision: true } });
  return {
    notice: n.notice,
    incident: n.incident,
    revision: n.revision,
    title: n.title,
    publishedAt: n.publishedAt,
    url: n.url,
    supersededBy: newest?.publishedRevision && newest.publishedRevision > n.revision ? newest.publishedRevision : null,
  };
}
