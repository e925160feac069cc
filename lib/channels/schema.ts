// Validation of official-channel input at every boundary.
import { z } from 'zod';

export const CHANNEL_KINDS = ['X', 'TELEGRAM', 'MAIL_DOMAIN', 'BLOG', 'APP', 'OTHER'] as const;
export const CHANNEL_STATUSES = ['TRUSTED', 'COMPROMISED', 'RECOVERED'] as const;

/** How the public page names a kind of channel. */
export const KIND_LABELS: Record<(typeof CHANNEL_KINDS)[number], string> = {
  X: 'X',
  TELEGRAM: 'Telegram',
  MAIL_DOMAIN: 'Mail from',
  BLOG: 'Blog',
  APP: 'App',
  OTHER: 'Channel',
};

const url = z
  .url({ protocol: /^https$/, message: 'A channel link is an https:// address.' })
  .max(500, 'A link is at most 500 characters.');
const note = z.string().trim().max(500, 'A public note is at most 500 characters.');

export const addChannelInput = z.strictObject({
  name: z.string().trim().min(1, 'Name the channel.').max(100, 'A name is at most 100 characters.'),
  kind: z.enum(CHANNEL_KINDS, { message: `kind is one of ${CHANNEL_KINDS.join(', ')}.` }),
  handle: z
    .string()
    .trim()
    .min(1, 'Give the handle or address customers know (@exchange, exchange.com).')
    .max(200, 'A handle is at most 200 characters.'),
  url: url.optional(),
  publicNote: note.optional(),
});
export type AddChannelInput = z.input<typeof addChannelInput>;

/** A change of a channel's status: one SECURITY person, a reason (internal), an optional public note. */
export const markChannelInput = z.strictObject({
  status: z.enum(CHANNEL_STATUSES, { message: `status is one of ${CHANNEL_STATUSES.join(', ')}.` }),
  reason: z
    .string({ message: 'Say why (for the audit log and the timeline).' })
    .trim()
    .min(5, 'Say why in a few words (for the audit log and the timeline).')
    .max(1000, 'A reason is at most 1,000 characters.'),
  publicNote: note.optional(),
  /** The incident it belongs to (uuid or reference); by default the only open one, if exactly one is open. */
  incident: z.string().trim().max(100).optional(),
});
export type MarkChannelInput = z.input<typeof markChannelInput>;

/** How notices, mail and pages name a channel: "X: @exchange". */
export const channelLabel = (channel: { kind: keyof typeof KIND_LABELS; handle: string }) =>
  `${KIND_LABELS[channel.kind]}: ${channel.handle}`;
