// The shape every server action returns to its form (useActionState), and the one mapping from
// domain errors to it. Unexpected errors are rethrown so they surface, not swallowed.
import { DomainError } from '@/lib/errors';

export type FormState<T = undefined> = {
  ok?: boolean;
  message?: string;
  fields?: Record<string, string>;
  result?: T;
};

export function formError(error: unknown): FormState<never> {
  if (error instanceof DomainError) {
    const fields = (error.details as { fields?: Record<string, string> } | undefined)?.fields;
    // A form marks each field with its own message; the summary above it says the same in
    // people's words, without the API's field names ("detectedAt: …").
    const message = fields ? [...new Set(Object.values(fields))].join(' ') : error.message;
    return { ok: false, message, fields };
  }
  throw error;
}
