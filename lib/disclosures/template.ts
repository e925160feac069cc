// The first revision of a notice: a template in the shape of California's model notice (Civ. Code
// 1798.82: "Notice of Data Breach" and its five headings) that also asks what GDPR Art. 34(2)
// needs (the nature of the breach, a contact point, likely consequences, measures taken), with
// the incident's facts filled in when the draft is made — so the approved text is the published
// text, and nothing changes under the approvers' eyes. A fact that is not known yet stays a
// placeholder, as does every `{{write: …}}` prompt: the gate (gate.ts) refuses to submit a notice
// that still has one. Pure: the facts come from facts.ts.

import { count } from '@/lib/numbers';
import { utcMinute } from '@/lib/time';
import { ANTI_PHISHING_SECTION, NEVER_ASK } from './gate';

export type NoticeFacts = {
  exchange: { name: string; contact: string };
  incident: { reference: string; detectedAt: Date; declaredAt: Date };
  /** The newest approved reset of the incident, if any. */
  reset: { customers: number; effectiveAt: Date } | null;
  /** Since when outbound mail has been frozen, if it is. */
  mailFrozenSince: Date | null;
  /** Customers marked affected by the incident (0: none marked yet). */
  affected: number;
  /** The blast radius of the incident's imported mail logs, if any (lib/blast). */
  exposed: { addresses: number; customers: number; messages: number } | null;
  senders: readonly string[];
  channels: readonly string[];
  verifyUrl: string;
};

export const NOTICE_TITLE = 'Notice of Data Breach';

const TEMPLATE = `{{exchange.name}} is writing to tell you about a security incident that may involve your information. Our reference for it is {{incident.reference}}.

## What Happened

{{write: in plain language, the nature of the breach — what happened, when, and how it was found}}

We detected the incident on {{incident.detectedAt}} and began our response on {{incident.declaredAt}}.

## What Information Was Involved

{{write: which kinds of information were involved, e.g. email addresses}}

We have identified {{affected.count}} affected customers.

## What We Are Doing

- We stopped outgoing mail on {{mail.frozenSince}} while we investigated.
- We require a new password from {{reset.customers}} customers, in effect since {{reset.effectiveAt}}: old passwords and sessions no longer work.
- {{write: the other measures taken or proposed, including those to limit the harm}}

## What You Can Do

- If we sent you a password-reset mail, set a new password with its link, on our site only.
- Turn on two-factor sign-in if you have not.
- Be wary of messages that mention this incident and ask you to act.

## Likely Consequences

{{write: the likely consequences for you, e.g. phishing mail sent to the exposed addresses}}

## ${ANTI_PHISHING_SECTION}

We write to you only from {{mail.senders}}. Our official channels are {{channels.official}}. ${NEVER_ASK} You can check that a notice is really ours at {{notice.verifyUrl}}.

## For More Information

Write to {{exchange.contact}} and quote {{incident.reference}}.
`;

/** The values of the placeholders these facts resolve; an unknown fact resolves none. */
export function placeholderValues(facts: NoticeFacts): Record<string, string> {
  const values: Record<string, string | null> = {
    'exchange.name': facts.exchange.name,
    'exchange.contact': facts.exchange.contact,
    'incident.reference': facts.incident.reference,
    'incident.detectedAt': utcMinute(facts.incident.detectedAt),
    'incident.declaredAt': utcMinute(facts.incident.declaredAt),
    'affected.count': facts.affected > 0 ? count(facts.affected) : null,
    'exposed.addresses': facts.exposed ? count(facts.exposed.addresses) : null,
    'exposed.customers': facts.exposed ? count(facts.exposed.customers) : null,
    'exposed.messages': facts.exposed ? count(facts.exposed.messages) : null,
    'reset.customers': facts.reset ? count(facts.reset.customers) : null,
    'reset.effectiveAt': facts.reset ? utcMinute(facts.reset.effectiveAt) : null,
    'mail.frozenSince': facts.mailFrozenSince ? utcMinute(facts.mailFrozenSince) : null,
    'mail.senders': facts.senders.join(', '),
    'channels.official': facts.channels.length ? facts.channels.join('; ') : null,
    'notice.verifyUrl': facts.verifyUrl,
  };
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** Fills the placeholders these facts resolve; the others, and every `{{write: …}}`, stay. */
export function fillPlaceholders(text: string, facts: NoticeFacts): string {
  const values = placeholderValues(facts);
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

const AFFECTED_LINE = 'We have identified {{affected.count}} affected customers.';
/** Said when a mail log has been imported: the leak's own figures (placeholders anyone may also type). */
const EXPOSED_LINE =
  "Messages we sent showed their recipients each other's email addresses: {{exposed.addresses}} addresses, {{exposed.customers}} of them our customers', were visible to other recipients, in {{exposed.messages}} messages.";

/** The first revision of a new notice, from the template and the incident's facts. */
export function draftFromFacts(facts: NoticeFacts): { title: string; body: string } {
  const template = facts.exposed ? TEMPLATE.replace(AFFECTED_LINE, `${EXPOSED_LINE}\n\n${AFFECTED_LINE}`) : TEMPLATE;
  return { title: NOTICE_TITLE, body: fillPlaceholders(template, facts) };
}
