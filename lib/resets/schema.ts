// Validation of reset campaign input.
import { z } from 'zod';
import { RESET_SCOPES } from '@/lib/enums';

export const requestResetInput = z
  .object({
    scope: z.enum(RESET_SCOPES, { message: `scope must be ${RESET_SCOPES.join(' or ')}.` }),
    onlyWithout2fa: z.boolean().default(false),
    onlyWithBalance: z.boolean().default(false),
    revokeSessions: z.boolean().default(true),
    revokeApiKeys: z.boolean().default(false),
    sendMail: z.boolean().default(true),
    lockWithdrawalsHours: z.number().int().min(1).max(720).optional(),
  })
  .strict();
export type RequestResetInput = z.input<typeof requestResetInput>;

/** The most customers one call marks as affected. */
export const MAX_AFFECTED_PER_CALL = 100_000;
export const markAffectedInput = z
  .strictObject({
    externalIds: z.array(z.string().trim().min(1).max(200)).max(MAX_AFFECTED_PER_CALL).default([]),
    emails: z.array(z.string().trim().min(3).max(254)).max(MAX_AFFECTED_PER_CALL).default([]),
  })
  .refine(
    (input) => input.externalIds.length + input.emails.length > 0,
    'Name at least one customer: an external id or an email address.',
  )
  .refine(
    (input) => input.externalIds.length + input.emails.length <= MAX_AFFECTED_PER_CALL,
    `At most ${MAX_AFFECTED_PER_CALL.toLocaleString('en-US')} customers per call.`,
  );
