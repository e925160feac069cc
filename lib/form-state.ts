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
    return { ok: false, message: error.message, fields };
  }
  throw error;
}
