// Validation of customer directory input (imports) and customer-side auth.
import { z } from 'zod';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'TRUE', 'FALSE', ''])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'TRUE');

/** One row of a customer import (CSV columns or JSON Lines keys). */
export const customerRow = z.object({
  externalId: z.string().trim().min(1, 'externalId is required').max(200),
  email: z.string().trim().toLowerCase().email('email is not a valid address').max(254),
  passwordHash: z
    .string()
    .trim()
    .regex(/^\$argon2(id|i|d)\$/, 'passwordHash must be an argon2 hash ($argon2id$…) or empty')
    .max(500)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  twoFactorEnabled: bool.optional().default(false),
  hasBalance: bool.optional().default(false),
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['ACTIVE', 'SUSPENDED', 'CLOSED']).optional().default('ACTIVE')),
});
export type CustomerRow = z.output<typeof customerRow>;

export const IMPORT_COLUMNS = ['externalId', 'email', 'passwordHash', 'twoFactorEnabled', 'hasBalance', 'status'] as const;
