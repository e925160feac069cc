// Validation of customer directory input (imports) and customer-side auth.
import { z } from 'zod';
import { CUSTOMER_STATUSES } from '@/lib/enums';
import { checkSingleRecipient } from '@/lib/mail/recipient';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'TRUE', 'FALSE', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'TRUE');

/** One row of a customer import (CSV columns or JSON Lines keys). */
export const customerRow = z.object({
  externalId: z.string().trim().min(1, 'externalId is required').max(200),
  // Also one bare address as the outbox accepts it (lib/mail/recipient.ts): an address zod takes
  // but the mail guard refuses (e.g. with an apostrophe) would freeze the SECURITY stream later.
  email: z
    .string()
    .trim()
    .toLowerCase()
    .email('email is not a valid address')
    .max(254)
    .refine(
      (address) => checkSingleRecipient(address).ok,
      'email must be one plain address that reset mail can be sent to',
    ),
  passwordHash: z
    .string()
    .trim()
    .regex(/^\$argon2(id|i|d)\$/, 'passwordHash must be an argon2 hash ($argon2id$…) or empty')
    .max(500)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  twoFactorEnabled: bool.optional().default(false),
  hasBalance: bool.optional().default(false),
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(CUSTOMER_STATUSES).optional().default('ACTIVE')),
});
export type CustomerRow = z.output<typeof customerRow>;

export const IMPORT_COLUMNS = [
  'externalId',
  'email',
  'passwordHash',
  'twoFactorEnabled',
  'hasBalance',
  'status',
] as const;
