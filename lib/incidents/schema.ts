// Validation of incident input at every boundary (API, server actions, CLI).
import { z } from 'zod';
import { CLOCK_IDS, MILESTONE_KINDS } from '@/lib/clocks/definitions';
import { INCIDENT_KINDS, SEVERITIES, INCIDENT_STATUSES as STATUSES } from '@/lib/enums';
import { isUuid, required } from '@/lib/validation';

export { INCIDENT_KINDS, SEVERITIES, STATUSES };
export type IncidentStatus = (typeof STATUSES)[number];

/** How an incident is named in a path or argument: its reference (INC-2026-0001, any case) or its uuid. */
export const byIdOrReference = (idOrReference: string) =>
  /^INC-\d{4}-\d{4,}$/i.test(idOrReference)
    ? { reference: idOrReference.toUpperCase() }
    : isUuid(idOrReference)
      ? { id: idOrReference }
      : null;

/** The longest texts, shared by the schemas and the forms' maxLength. */
export const INCIDENT_LIMITS = { title: 200, summary: 20_000, note: 10_000, milestoneNote: 2000 } as const;

/** Clock skew we tolerate before a time counts as "in the future". */
const SKEW_MS = 60_000;

/** An instant: a Date, or an ISO 8601 string with a UTC offset (never a bare local time). */
const instant = z
  .union([
    z.date(),
    z.iso.datetime({ offset: true, message: 'Give a date and time with a UTC offset, e.g. 2026-11-24T09:30:00Z.' }),
  ])
  .transform((value) => new Date(value));
const pastInstant = (what: string) =>
  instant.refine((date) => date.getTime() <= Date.now() + SKEW_MS, `${what} cannot be in the future.`);

export const declareIncidentInput = z.object({
  title: z
    .string({ error: required('Enter a title.') })
    .trim()
    .min(3, 'Enter a title (3 characters or more).')
    .max(INCIDENT_LIMITS.title),
  kind: z.enum(INCIDENT_KINDS, { message: `Kind must be one of ${INCIDENT_KINDS.join(', ')}.` }),
  severity: z.enum(SEVERITIES, { message: `Severity must be one of ${SEVERITIES.join(', ')}.` }),
  summary: z
    .string({ error: required('Enter a summary.') })
    .trim()
    .min(1, 'Enter a summary.')
    .max(INCIDENT_LIMITS.summary),
  detectedAt: pastInstant('The detection time').optional(),
});
export type DeclareIncidentInput = z.input<typeof declareIncidentInput>;

export const updateIncidentInput = z
  .object({
    status: z.enum(STATUSES, { message: `Status must be one of ${STATUSES.join(', ')}.` }).optional(),
    severity: z.enum(SEVERITIES, { message: `Severity must be one of ${SEVERITIES.join(', ')}.` }).optional(),
    summary: z.string().trim().min(1).max(20_000).optional(),
    commanderEmail: z.string().trim().toLowerCase().email().optional(),
    materialAt: pastInstant('The time it became material').optional(),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine(
    (input) => Object.keys(input).some((key) => key !== 'reason'),
    'Nothing to change: give status, severity, summary, commanderEmail or materialAt.',
  );
export type UpdateIncidentInput = z.input<typeof updateIncidentInput>;

export const noteInput = z.object({
  message: z
    .string({ error: required('Write a note.') })
    .trim()
    .min(1, 'Write a note.')
    .max(INCIDENT_LIMITS.note),
});

export const milestoneInput = z
  .object({
    kind: z.enum(MILESTONE_KINDS, { message: `Milestone must be one of ${MILESTONE_KINDS.join(', ')}.` }),
    occurredAt: pastInstant('The time it happened').optional(),
    report: z
      .enum(CLOCK_IDS as [string, ...string[]], { message: `Report must name a clock: ${CLOCK_IDS.join(', ')}.` })
      .optional(),
    note: z.string().trim().max(INCIDENT_LIMITS.milestoneNote).optional(),
  })
  .refine((m) => (m.kind === 'REPORT_FILED') === Boolean(m.report), {
    message: 'A filed report names its clock (report); other milestones do not.',
    path: ['report'],
  });
export type MilestoneInput = z.input<typeof milestoneInput>;
