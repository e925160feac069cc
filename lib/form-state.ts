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
    // A form marks each field with its own message. The summary above it: a schema's refusal
    // (parseInput's "detectedAt: …" list) is said again without the API's field names; any other
    // message ("Moving INC-… back needs a reason.") is already written for people and stays.
    const listed =
      fields &&
      Object.entries(fields)
        .map(([key, m]) => (key === '_' ? m : `${key}: ${m}`))
        .join(' ');
    const message = fields && error.message === listed ? [...new Set(Object.values(fields))].join(' ') : error.message;
    return { ok: false, message, fields };
  }
  throw error;
}
