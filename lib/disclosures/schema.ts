// Validation of disclosure input at every boundary.
import { z } from 'zod';
import { required } from '@/lib/validation';

const title = z
  .string({ error: required('Give the notice a title.') })
  .trim()
  .min(1, 'Give the notice a title.')
  .max(200);
/** A notice is read on a phone during an incident: 50,000 characters is some twenty pages. */
export const MAX_NOTICE_CHARS = 50_000;
const body = z
  .string({ message: 'Write the notice.' })
  .trim()
  .min(1, 'Write the notice.')
  .max(MAX_NOTICE_CHARS, `A notice is at most ${MAX_NOTICE_CHARS.toLocaleString('en-US')} characters.`);

/**
 * Where the notice says the incident is (Statuspage's words): approved with the text, and what the
 * public page shows for its incident. Never the incident's internal status.
 */
export const NOTICE_STATES = ['INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED'] as const;
/** The same states as the signed payload and the public page say them (Statuspage's words). */
export const PUBLIC_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
const state = z.enum(NOTICE_STATES, { message: `state is one of ${NOTICE_STATES.join(', ')}.` });

/** A new notice: from the template and the incident's facts, unless a title and body are given. */
export const createDisclosureInput = z.strictObject({
  title: title.optional(),
  body: body.optional(),
  state: state.optional(),
});
export type CreateDisclosureInput = z.input<typeof createDisclosureInput>;

/** A new revision; `state` defaults to the previous revision's. */
export const reviseDisclosureInput = z.strictObject({ title, body, state: state.optional() });
export type ReviseDisclosureInput = z.input<typeof reviseDisclosureInput>;

/** What the approver read: the revision and its content hash (a newer text is refused, 409). */
export const approveDisclosureInput = z.strictObject({
  revision: z.number({ message: 'Name the revision you approve.' }).int().positive(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'The content hash is 64 hex digits (SHA-256).'),
});
export type ApproveDisclosureInput = z.input<typeof approveDisclosureInput>;

export const NOTIFY = ['NONE', 'AFFECTED', 'ALL'] as const;
export const publishDisclosureInput = z.strictObject({
  revision: z.number({ message: 'Name the revision to publish.' }).int().positive(),
  notify: z.enum(NOTIFY, { message: 'notify is NONE, AFFECTED or ALL.' }).default('NONE'),
});
export type PublishDisclosureInput = z.input<typeof publishDisclosureInput>;
