// Validation of everything staff- and token-related that crosses a boundary.
import { z } from 'zod';
import { required } from '@/lib/validation';
import { ROLES, SCOPE_NAMES } from './policy';

export const email = z.string().trim().toLowerCase().email('Enter a valid email address.').max(254);

export const staffPassword = z
  .string()
  .min(12, 'Staff passwords need at least 12 characters.')
  .max(256, 'Passwords are limited to 256 characters.');

export const signInInput = z.object({
  email,
  password: z.string().min(1, 'Enter your password.').max(256),
  /** The TOTP code, for accounts with two-factor sign-in (an empty form field counts as none). */
  code: z.preprocess(
    (value) =>
      typeof value === 'string' && value.trim() === ''
        ? undefined
        : typeof value === 'string'
          ? value.replace(/\s/g, '')
          : value,
    z.string().max(12).optional(),
  ),
});

export const createStaffInput = z.object({
  email,
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(', ')}.` }),
  password: staffPassword.optional(),
});
export type CreateStaffInput = z.input<typeof createStaffInput>;

export const unlockStaffInput = z.object({ email });

/** Disabling or enabling an account: whose, and why (it is audited). */
export const accountChangeInput = z.object({
  email,
  reason: z
    .string({ error: required('Give a reason.') })
    .trim()
    .min(3, 'Give a reason (3 characters or more).')
    .max(500),
});

export const roleChangeInput = accountChangeInput.extend({
  role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(', ')}.` }),
});

export const createTokenInput = z.object({
  /** Your own email (the default); another's is refused. The CLI names any account. */
  ownerEmail: email.optional(),
  name: z.string().trim().min(1, 'Name the token (what uses it).').max(120),
  // A JSON number (no coercion: `true` or `[30]` are refused); default API_TOKEN_TTL_DAYS.
  expiresInDays: z
    .number({ message: 'expiresInDays is a whole number of days (1–3650).' })
    .int('A whole number of days.')
    .min(1)
    .max(3650)
    .optional(),
  /** Omitted: the token may do what its owner's role may. A scope narrows it to one thing. */
  scope: z.enum(SCOPE_NAMES).optional(),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;
