// Validation of blast-radius input.
import { z } from 'zod';

export const mailLogOptions = z.strictObject({
  name: z.string().trim().min(1).max(200).default('mail log'),
});
export type MailLogOptions = z.input<typeof mailLogOptions>;

/** Marking the exposed customers affected names the analysis version the person confirmed. */
export const markExposedInput = z.strictObject({
  version: z.number({ error: 'Give the version of the figures that were confirmed.' }).int().positive(),
});
