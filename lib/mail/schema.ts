// Validation of mail input at every boundary.
import { z } from 'zod';
import { MAIL_HOLD_REASONS, STREAMS } from '@/lib/enums';
import { required } from '@/lib/validation';

export { STREAMS };
export type Stream = (typeof STREAMS)[number];

const streams = z
  .union(
    [
      z.literal('ALL'),
      z
        .array(z.enum(STREAMS, { message: `Streams are ${STREAMS.join(', ')} or "ALL".` }))
        .min(1, 'Name at least one stream, or "ALL".'),
    ],
    {
      message: `streams must be "ALL" or a list of ${STREAMS.join(', ')}.`,
    },
  )
  .transform((value) =>
    value === 'ALL' ? [...STREAMS] : [...new Set(value)].sort((a, b) => STREAMS.indexOf(a) - STREAMS.indexOf(b)),
  );

const reason = z
  .string({ error: required('Give a reason.') })
  .trim()
  .min(3, 'Give a reason (3 characters or more).')
  .max(2000);

export const freezeInput = z.object({
  streams,
  reason,
  /** The incident the freeze is for (uuid or reference): its timeline records the freeze and its lift. */
  incident: z.string().trim().min(1).max(100).optional(),
});
export type FreezeInput = z.input<typeof freezeInput>;

export const heldFilter = z
  .object({
    stream: z.enum(STREAMS).optional(),
    incidentId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
    /** Individual messages (e.g. the uncertain ones after a crash, decided one by one). */
    ids: z.array(z.uuid()).min(1).max(1000).optional(),
    /** Only messages held for this reason: FROZEN, or OUTCOME_UNKNOWN (a worker was lost mid-send). */
    holdReason: z.enum(MAIL_HOLD_REASONS).optional(),
    /** Count only: what a confirmation dialog shows before anything changes. */
    dryRun: z.boolean().optional(),
    /** Cancel: every held message of every stream, said explicitly (an empty filter is refused). */
    all: z.literal(true).optional(),
  })
  .strict();
export type HeldFilter = z.input<typeof heldFilter>;

export const enqueueInput = z.object({
  stream: z.enum(STREAMS),
  to: z.string(),
  subject: z.string().trim().min(1).max(998),
  text: z.string().min(1).max(1_000_000),
  html: z.string().max(2_000_000).optional(),
  idempotencyKey: z.string().trim().min(1).max(200),
  incidentId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  disclosureId: z.uuid().optional(),
  unsubscribeUrl: z.url().max(2000).optional(),
});
export type EnqueueInput = z.input<typeof enqueueInput>;

/**
 * The relay's record of what it accepted, to settle uncertain messages: the text of its log (or a
 * plain list), in which every Message-ID it accepted appears. `releaseUnlisted`: messages of the
 * reconciled set that the log does not list were not delivered and go back to the queue; without
 * it they stay held (a partial log proves nothing about what it leaves out).
 */
export const reconcileInput = z
  .object({
    log: z.string().min(1).max(50_000_000),
    releaseUnlisted: z.boolean().optional(),
    campaignId: z.uuid().optional(),
  })
  .strict();
export type ReconcileInput = z.input<typeof reconcileInput>;
