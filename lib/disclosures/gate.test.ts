// The content gate on the parsed notice: each missing or empty section is named, the
// anti-phishing block must be there and say what it must, and a word in a paragraph or a heading
// inside a code block is not a section.
import { describe, expect, it } from 'vitest';
import { ANTI_PHISHING_SECTION, BASE_SECTIONS, contentProblems, NEVER_ASK, unresolvedPlaceholders } from './gate';
import { draftFromFacts, fillPlaceholders, type NoticeFacts } from './template';

const context = {
  regimes: ['GDPR', 'SEC'] as const,
  senders: ['security@exchange.example'],
  channels: ['X: @exchange'],
  verifyUrl: 'https://status.exchange.example/status/verify',
};
const block = `## ${ANTI_PHISHING_SECTION}\n\nWe write only from security@exchange.example. Our channels: X: @exchange. ${NEVER_ASK} Verify at https://status.exchange.example/status/verify.\n`;
const section = (name: string, text = 'Something true.') => `## ${name}\n\n${text}\n`;
const complete = [...BASE_SECTIONS, 'Likely Consequences'].map((name) => section(name)).join('\n') + block;

describe('the content gate', () => {
  it('passes a notice with every section and the anti-phishing block', () => {
    expect(contentProblems({ title: 'Notice of Data Breach', body: complete }, context)).toEqual([]);
  });

  it('names each missing section, and GDPR adds likely consequences', () => {
    const body = section('What Happened') + block;
    const problems = contentProblems({ title: 'T', body }, context);
    expect(problems).toEqual([
      'Add the section “What Information Was Involved”.',
      'Add the section “What We Are Doing”.',
      'Add the section “What You Can Do”.',
      'Add the section “For More Information”.',
      'Add the section “Likely Consequences”.',
    ]);
    expect(contentProblems({ title: 'T', body }, { ...context, regimes: ['SEC'] })).not.toContain(
      'Add the section “Likely Consequences”.',
    );
  });

  it('reads the markdown: a heading with nothing under it is empty; a name in a paragraph or a code block is no section', () => {
    const nested = complete.replace(
      '## What Happened\n\nSomething true.\n',
      '## What Happened\n\n### When\n\nOn Monday.\n',
    );
    expect(contentProblems({ title: 'T', body: nested }, context)).toEqual([]); // a sub-heading and its text belong to it
    const hollow = complete.replace('## What Happened\n\nSomething true.\n', '## What Happened\n\n');
    expect(contentProblems({ title: 'T', body: hollow }, context)).toEqual(['The section “What Happened” is empty.']);
    const mentioned = complete.replace(
      '## What Happened\n\nSomething true.\n',
      'What Happened is told below.\n\n```\n## What Happened\n```\n',
    );
    expect(contentProblems({ title: 'T', body: mentioned }, context)).toEqual(['Add the section “What Happened”.']);
  });

  it('refuses a notice without the anti-phishing block, or one that leaves out what it must say', () => {
    const without = complete.replace(block, '');
    expect(contentProblems({ title: 'T', body: without }, context)).toEqual([
      `Add the section “${ANTI_PHISHING_SECTION}”.`,
    ]);
    const weak = complete.replace(NEVER_ASK, 'We might ask for your password.');
    expect(contentProblems({ title: 'T', body: weak }, context)).toEqual([
      `“${ANTI_PHISHING_SECTION}” must say: “${NEVER_ASK}”`,
    ]);
    const noSender = complete.replace('security@exchange.example', 'us');
    expect(contentProblems({ title: 'T', body: noSender }, context)).toEqual([
      `“${ANTI_PHISHING_SECTION}” must name our sender address security@exchange.example.`,
    ]);
  });

  it('raw HTML is no content: a comment cannot carry the anti-phishing sentence, a tag cannot fill a section', () => {
    const hidden = complete.replace(
      block,
      `## ${ANTI_PHISHING_SECTION}\n\nSend your 2FA code to support.<!-- ${NEVER_ASK} security@exchange.example X: @exchange https://status.exchange.example/status/verify -->\n`,
    );
    const problems = contentProblems({ title: 'T', body: hidden }, context);
    expect(problems[0]).toMatch(/Remove the raw HTML/);
    expect(problems).toContain(`“${ANTI_PHISHING_SECTION}” must say: “${NEVER_ASK}”`);
    const tagged = complete.replace(
      '## What Happened\n\nSomething true.\n',
      '## What Happened\n\n<div>Something true.</div>\n',
    );
    expect(contentProblems({ title: 'T', body: tagged }, context)).toEqual([
      'Remove the raw HTML (tags or comments): readers would not see it, so it cannot say anything.',
      'The section “What Happened” is empty.',
    ]);
    const invisible = complete.replace('## What Happened\n\nSomething true.\n', '## What Happened\n\n\u200B\u200B\n');
    expect(contentProblems({ title: 'T', body: invisible }, context)).toEqual([
      'The section “What Happened” is empty.',
    ]);
  });

  it('an unresolved placeholder, in the title or the body, blocks', () => {
    expect(unresolvedPlaceholders('Notice {{x}}', 'a {{write: what}} b {{x}}')).toEqual(['{{x}}', '{{write: what}}']);
    expect(contentProblems({ title: 'T', body: `${complete}\n{{reset.customers}}` }, context)).toEqual([
      'Replace the placeholder {{reset.customers}}, or remove its sentence if it did not happen.',
    ]);
  });
});

describe('the template', () => {
  const facts: NoticeFacts = {
    exchange: { name: 'Example Exchange', contact: 'privacy@exchange.example' },
    incident: {
      reference: 'INC-2026-0007',
      detectedAt: new Date('2026-11-26T01:02:00Z'),
      declaredAt: new Date('2026-11-26T01:30:00Z'),
    },
    reset: null,
    mailFrozenSince: new Date('2026-11-26T01:35:00Z'),
    affected: 1234,
    exposed: null,
    senders: ['security@exchange.example'],
    channels: ['X: @exchange'],
    verifyUrl: 'https://status.exchange.example/status/verify',
  };

  it('fills what the incident knows and leaves the rest for a person, who cannot submit until they have', () => {
    const draft = draftFromFacts(facts);
    expect(draft.title).toBe('Notice of Data Breach');
    expect(draft.body).toContain('Our reference for it is INC-2026-0007.');
    expect(draft.body).toContain('We detected the incident on 2026-11-26 01:02 UTC');
    expect(draft.body).toContain('1,234 affected customers');
    expect(draft.body).toContain('We stopped outgoing mail on 2026-11-26 01:35 UTC');
    const left = unresolvedPlaceholders(draft.title, draft.body);
    expect(left).toContain('{{reset.customers}}'); // no reset yet: a person writes that sentence
    expect(left.filter((p) => p.startsWith('{{write:'))).toHaveLength(4);
    expect(draft.body).not.toContain('visible to other recipients');
    const problems = contentProblems(draft, { ...context, regimes: ['GDPR'] });
    expect(problems.every((p) => p.startsWith('Replace the placeholder'))).toBe(true);
    expect(fillPlaceholders('{{unknown.fact}}', facts)).toBe('{{unknown.fact}}');
  });

  it("says the blast radius's figures when a mail log was imported, and fills them where typed", () => {
    const exposed = { ...facts, exposed: { addresses: 1_020_002, customers: 1_000_000, messages: 1_031 } };
    const draft = draftFromFacts(exposed);
    expect(draft.body).toContain(
      "1,020,002 addresses, 1,000,000 of them our customers', were visible to other recipients, in 1,031 messages.",
    );
    expect(unresolvedPlaceholders(draft.title, draft.body).some((p) => p.startsWith('{{exposed'))).toBe(false);
    expect(fillPlaceholders('{{exposed.customers}} / {{exposed.addresses}} / {{exposed.messages}}', exposed)).toBe(
      '1,000,000 / 1,020,002 / 1,031',
    );
    expect(fillPlaceholders('{{exposed.customers}}', facts)).toBe('{{exposed.customers}}');
  });
});
