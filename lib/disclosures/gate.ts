// What a notice must say before it may be submitted or published, checked on the parsed markdown
// (mdast), not by searching the text: the sections a customer notice needs (California Civ. Code
// 1798.82's headings; with GDPR, Art. 34(2)'s likely consequences), the anti-phishing block
// (DESIGN invariant 5), and no placeholder left unresolved. Pure: tested in gate.test.ts.
import type { Heading, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as textOf } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import type { Regime } from '@/lib/clocks/definitions';

/** The sections every customer notice has, in the order of California's model notice. */
export const BASE_SECTIONS = [
  'What Happened',
  'What Information Was Involved',
  'What We Are Doing',
  'What You Can Do',
  'For More Information',
] as const;
/** Sections a regime adds: GDPR Art. 34(2) (with 33(3)(c)) asks for the likely consequences. */
export const REGIME_SECTIONS: Partial<Record<Regime, string[]>> = { GDPR: ['Likely Consequences'] };
/** The anti-phishing block's heading. */
export const ANTI_PHISHING_SECTION = 'How to Recognise Our Messages';
/** The sentence the anti-phishing block must contain, word for word. */
export const NEVER_ASK = 'We will never ask for your password, your 2FA codes or for funds.';

/** `{{incident.reference}}`, `{{write: what happened}}`: any placeholder left in the text. */
const PLACEHOLDER = /\{\{[^{}]*\}\}/g;

export type GateContext = {
  regimes: readonly Regime[];
  /** Official sender addresses: each must appear in the anti-phishing block. */
  senders: readonly string[];
  /** Official channels: each must appear in the anti-phishing block. */
  channels: readonly string[];
  /** Where a notice is verified: must appear in the anti-phishing block. */
  verifyUrl: string;
};

export const requiredSections = (regimes: readonly Regime[]) => [
  ...BASE_SECTIONS,
  ...regimes.flatMap((regime) => REGIME_SECTIONS[regime] ?? []),
  ANTI_PHISHING_SECTION,
];

/** Whitespace folded, zero-width characters gone, lower case: how the gate compares words. */
const fold = (text: string) =>
  text
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** Whether the tree holds raw HTML anywhere (the renderer drops it, so readers would not see it). */
function hasRawHtml(node: { type: string; children?: unknown[] }): boolean {
  return node.type === 'html' || (node.children ?? []).some((child) => hasRawHtml(child as { type: string }));
}
const headingKey = (text: string) => fold(text).replace(/[.:!?]+$/, '');

export function parseNotice(body: string): Root {
  return fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The notice's sections: each heading (any level) with the text of what follows it up to the next heading of its level or above. */
export function sections(tree: Root): Map<string, { heading: string; text: string }> {
  const found = new Map<string, { heading: string; text: string }>();
  const nodes = tree.children;
  nodes.forEach((node, i) => {
    if (node.type !== 'heading') return;
    const content: RootContent[] = [];
    for (const next of nodes.slice(i + 1)) {
      if (next.type === 'heading' && next.depth <= (node as Heading).depth) break;
      content.push(next);
    }
    const heading = textOf(node, { includeHtml: false });
    // Raw HTML is never shown to readers (the renderer drops it): it is no content.
    found.set(headingKey(heading), { heading, text: content.map((c) => textOf(c, { includeHtml: false })).join('\n') });
  });
  return found;
}

/** Every placeholder still in the title or the body. */
export function unresolvedPlaceholders(title: string, body: string): string[] {
  return [...new Set([...`${title}\n${body}`.matchAll(PLACEHOLDER)].map((m) => m[0]))];
}

/** What keeps this notice from being submitted or published, in words a person can act on; empty when nothing. */
export function contentProblems(notice: { title: string; body: string }, context: GateContext): string[] {
  const problems: string[] = [];
  if (!notice.title.trim()) problems.push('The notice has no title.');
  for (const placeholder of unresolvedPlaceholders(notice.title, notice.body))
    problems.push(
      placeholder.startsWith('{{write:')
        ? `Replace the placeholder ${placeholder}.`
        : `Replace the placeholder ${placeholder}, or remove its sentence if it did not happen.`,
    );
  const tree = parseNotice(notice.body);
  if (hasRawHtml(tree))
    problems.push('Remove the raw HTML (tags or comments): readers would not see it, so it cannot say anything.');
  const found = sections(tree);
  for (const name of requiredSections(context.regimes)) {
    const section = found.get(headingKey(name));
    if (!section) problems.push(`Add the section “${name}”.`);
    else if (!fold(section.text)) problems.push(`The section “${name}” is empty.`);
  }
  const block = found.get(headingKey(ANTI_PHISHING_SECTION));
  if (block && fold(block.text)) {
    const text = fold(block.text);
    if (!text.includes(fold(NEVER_ASK))) problems.push(`“${ANTI_PHISHING_SECTION}” must say: “${NEVER_ASK}”`);
    for (const sender of context.senders)
      if (!text.includes(fold(sender)))
        problems.push(`“${ANTI_PHISHING_SECTION}” must name our sender address ${sender}.`);
    for (const channel of context.channels)
      if (!text.includes(fold(channel)))
        problems.push(`“${ANTI_PHISHING_SECTION}” must list our channel “${channel}”.`);
    if (!text.includes(fold(context.verifyUrl)))
      problems.push(`“${ANTI_PHISHING_SECTION}” must say where to verify a notice: ${context.verifyUrl}`);
  }
  return problems;
}
