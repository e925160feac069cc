// zod at the boundary: parse or throw Invalid with field messages the API and forms both show.
import { z } from 'zod';
import { Invalid } from '@/lib/errors';

// Limits in people's words, with the actual limit and the actual length, for every schema that does
// not say it better itself ("Use at most 200 characters (this has 400).").
z.config({
  customError: (issue) => {
    if (issue.origin === 'number' && issue.code === 'too_big')
      return `Use ${Number(issue.maximum).toLocaleString('en-US')} or less.`;
    if (issue.origin === 'number' && issue.code === 'too_small')
      return `Use ${Number(issue.minimum).toLocaleString('en-US')} or more.`;
    if (issue.origin !== 'string' || typeof issue.input !== 'string') return undefined;
    const length = issue.input.length.toLocaleString('en-US');
    if (issue.code === 'too_big')
      return `Use at most ${Number(issue.maximum).toLocaleString('en-US')} characters (this has ${length}).`;
    if (issue.code === 'too_small')
      return `Use at least ${Number(issue.minimum).toLocaleString('en-US')} characters (this has ${length}).`;
    return undefined;
  },
});

/**
 * The message for a missing value only: `z.string({ error: required('Enter a title.') })`. A plain
 * `{ message }` on the schema would also replace its checks' messages (a 400-character title would
 * be told to "Enter a title.").
 */
export const required = (message: string) => (issue: { code: string }) =>
  issue.code === 'invalid_type' ? message : undefined;

/**
 * Text PostgreSQL cannot store or that would be silently changed on the way: a NUL character
 * (refused by the database as 22021) or a lone UTF-16 surrogate (replaced by U+FFFD when encoded).
 * Returns the path and the problem of the first such string in a JSON-like value, or null.
 */
export function badText(value: unknown, path: (string | number)[] = []): { path: string; message: string } | null {
  // No input of ours nests deeply; a body of 400,000 nested arrays must not exhaust the stack.
  if (path.length > 32) return { path: path.slice(0, 32).join('.'), message: 'Nested too deeply.' };
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      return { path: path.join('.'), message: 'Contains a NUL character, which text cannot hold.' };
    if (!value.isWellFormed())
      return { path: path.join('.'), message: 'Contains an unpaired UTF-16 surrogate (not valid Unicode text).' };
    return null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = badText(item, [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = badText(key, [...path, key]) ?? badText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const bad = badText(raw);
  if (bad)
    throw new Invalid(bad.path ? `${bad.path}: ${bad.message}` : bad.message, {
      fields: { [bad.path || '_']: bad.message },
    });
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
