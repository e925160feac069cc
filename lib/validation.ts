// zod at the boundary: parse or throw Invalid with field messages the API and forms both show.
import type { z } from 'zod';
import { Invalid } from '@/lib/errors';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([key, message]) => (key === '_' ? message : `${key}: ${message}`))
    .join(' ');
  throw new Invalid(summary || 'The input is not valid.', { fields });
}

/** Whether a path parameter is a uuid, checked before it reaches a uuid column. */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
