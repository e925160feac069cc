// What a webhook endpoint is made of, at the boundary: the events Firebreak sends, and the input
// an ADMIN gives. Not server-only: the console's form lists the events.
import { z } from 'zod';

/** Every event type, in the order the console lists them. */
export const WEBHOOK_EVENTS = [
  'incident.declared',
  'mail.frozen',
  'mail.unfrozen',
  'reset.effective',
  'reset.customers',
  'reset.completed',
  'notice.published',
  'channel.compromised',
  'clock.due',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_HELP: Record<WebhookEventType, string> = {
  'incident.declared': 'an incident was declared (reference, kind, severity)',
  'mail.frozen': 'outbound mail streams were frozen',
  'mail.unfrozen': 'a freeze was lifted',
  'reset.effective': 'a mandatory reset took effect: enforce it at once (campaign, cohort, effectiveAt)',
  'reset.customers':
    'the external ids of the customers a reset reached, one event per fan-out chunk (RESET_CHUNK_SIZE)',
  'reset.completed': 'a reset reached every customer of its cohort',
  'notice.published': 'a disclosure notice was published (its URL and content hash)',
  'channel.compromised': 'an official channel was marked compromised',
  'clock.due': 'a regulatory deadline is less than an hour away, not yet filed',
};

export const WEBHOOK_FORMATS = ['standard', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const createWebhookInput = z.object({
  url: z
    .url({ protocol: /^https?$/, message: 'An http(s) URL, e.g. https://auth.exchange.example/firebreak.' })
    .max(2000)
    // Checks run on after a failed .url() in zod 4: parse only what parses.
    .refine((url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password), {
      message: 'No user or password in the URL: the signature authenticates Firebreak.',
    }),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, 'Choose at least one event.')
    .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e))),
  description: z.string().trim().max(200).default(''),
  /** `slack`: a Slack incoming webhook URL, sent a line of text per event. */
  format: z.enum(WEBHOOK_FORMATS).default('standard'),
});
export type CreateWebhookInput = z.input<typeof createWebhookInput>;
