// A mail log, one record per sent message, read as a stream: CSV with a header row or JSON Lines.
// Each record becomes a message (its id, time, sender, and recipients normalised and split into
// what every recipient saw, To ∪ Cc, and what only the sender knew, Bcc) or a malformed line with
// its number and why. Nothing but the current record is held, so a log of any size reads in
// bounded memory; a line longer than MAX_LINE is malformed, not buffered.
import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DateTime } from 'luxon';
import { Invalid } from '@/lib/errors';
import { badText } from '@/lib/validation';
import { parseAddressList } from './addresses';

export type LogFormat = 'csv' | 'jsonl';
export type LogMessage = {
  line: number;
  messageId: string;
  sentAt: Date | null;
  sender: string | null;
  /** To ∪ Cc, each address once, in order: seen by every recipient. */
  visible: string[];
  /** Bcc recipients not also in To or Cc: they saw the visible set and nobody saw them. */
  hidden: string[];
  /** Recipient entries as logged (repeats included): the "records" of the message. */
  entries: number;
};
export type LogEntry = LogMessage | { line: number; error: string };

/** The longest line (one message's record) read: 16 MiB, room for ~400,000 recipients. */
export const MAX_LINE = 16 * 1024 * 1024;
const MAX_MESSAGE_ID = 998;

/** Field names as tools spell them: Message-ID, message_id, messageId; date or time; from, to, cc, bcc. */
const FIELDS: Record<string, 'messageId' | 'time' | 'from' | 'to' | 'cc' | 'bcc'> = {
  messageid: 'messageId',
  time: 'time',
  date: 'time',
  sentat: 'time',
  timestamp: 'time',
  from: 'from',
  to: 'to',
  cc: 'cc',
  bcc: 'bcc',
};
const fieldOf = (key: string) => {
  const name = key.toLowerCase().replace(/[-_\s]/g, '');
  return Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined; // not `constructor` from the prototype
};

/** Lines of a byte stream with their numbers, never more than MAX_LINE bytes of one held. */
async function* lines(source: Readable): AsyncGenerator<{ line: number; text: string | null }> {
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let line = 0;
  const finish = () => {
    line++;
    const text = tooLong ? null : Buffer.concat(parts, held).toString('utf8');
    parts = [];
    held = 0;
    tooLong = false;
    return { line, text };
  };
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      if (!tooLong) {
        parts.push(buffer.subarray(start, end));
        held += end - start;
        if (held > MAX_LINE) tooLong = true;
      }
      yield finish();
      start = end + 1;
    }
    if (start < buffer.length && !tooLong) {
      parts.push(buffer.subarray(start));
      held += buffer.length - start;
      if (held > MAX_LINE) {
        tooLong = true;
        parts = [];
        held = 0;
      }
    }
  }
  if (held > 0 || tooLong) yield finish();
}

async function* jsonRecords(
  source: Readable,
): AsyncGenerator<{ line: number; value: unknown } | { line: number; error: string }> {
  for await (const { line, text } of lines(source)) {
    if (text === null) {
      yield { line, error: `longer than ${MAX_LINE / 1024 / 1024} MiB` };
      continue;
    }
    if (text.trim() === '') continue;
    try {
      // A byte-order mark (Windows tools write one) is not part of the first record.
      yield { line, value: JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text) };
    } catch {
      yield { line, error: 'not valid JSON' };
    }
  }
}

/**
 * A record with the wrong number of fields is a malformed line and the rest is read; an error in
 * the CSV's structure (an unclosed quote, a record over MAX_LINE) stops the import: after it, where
 * one record ends is a guess, and a guess could swallow lines without a word.
 */
async function* csvRecords(
  source: Readable,
): AsyncGenerator<{ line: number; value: unknown } | { line: number; error: string }> {
  const skipped: { line: number; error: string }[] = [];
  let fatal: { line: number; error: string } | null = null;
  let header: string | null = null;
  const parser = parse({
    columns: (names: string[]) => {
      const fields = names.map((name) => fieldOf(name) ?? `unused:${name}`);
      const twice = fields.find((field, i) => !field.startsWith('unused:') && fields.indexOf(field) !== i);
      if (twice) header = `columns ${names.filter((_, i) => fields[i] === twice).join(' and ')} both give the ${twice}`;
      return fields;
    },
    info: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    max_record_size: MAX_LINE,
    skip_records_with_error: true,
    on_skip: (error: { code?: string; lines?: number; message: string } | undefined) => {
      if (!error) return undefined;
      const line = error.lines ?? 0;
      if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
        if (!skipped.some((s) => s.line === line)) skipped.push({ line, error: `CSV: ${error.message}` });
      } else fatal ??= { line, error: `CSV: ${error.message}` };
      return undefined;
    },
  });
  // pipeline: an upload that breaks off ends the parse with its error (pipe would leave it waiting).
  pipeline(source, parser, () => {});
  const stop = (): Invalid | null =>
    header
      ? new Invalid(`Line 1: ${header}. Nothing was imported.`, undefined, 'invalid_row')
      : fatal
        ? new Invalid(
            `Line ${fatal.line}: ${fatal.error}. The CSV's structure is broken there, so nothing was imported: mend it and import the file again.`,
            undefined,
            'invalid_row',
          )
        : null;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    const stopped = stop();
    if (stopped) throw stopped;
    while (skipped.length) yield skipped.shift()!;
    yield { line: info.lines, value: record };
  }
  const stopped = stop();
  if (stopped) throw stopped;
  while (skipped.length) yield skipped.shift()!;
}

/**
 * When a message was sent: ISO 8601 (or with a space for the T) with its offset, a mail Date header
 * (RFC 5322), or Unix seconds or milliseconds; years 1–9999 (what PostgreSQL stores). Without an
 * offset the time would be read in the server's zone.
 */
function sentTime(text: string): Date | null {
  const value = text.trim();
  // Unix time: 10 digits are seconds, 13 milliseconds (any other count is too ambiguous to guess).
  if (/^\d{10}(?:\.\d+)?$|^\d{13}$/.test(value))
    return new Date(value.length === 13 ? Number(value) : Number(value) * 1000);
  // The form most logs write (2019-11-01T12:00:00Z) is ECMAScript's own date-time format: exact, and fast.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/.test(value)) {
    const time = new Date(value);
    return Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1 ? null : time;
  }
  const withOffset = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(value);
  const time = [
    withOffset ? DateTime.fromISO(value, { setZone: true }) : null,
    withOffset ? DateTime.fromSQL(value, { setZone: true }) : null, // 2019-11-01 12:00:00+01
    DateTime.fromRFC2822(value, { setZone: true }),
  ].find((t) => t?.isValid);
  return time && time.year >= 1 && time.year <= 9999 ? time.toJSDate() : null;
}

/** A To, Cc or Bcc field: a header string, or an array of them; absent, null or "" is none. */
function header(value: unknown, name: string): string[] | string {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return `${name}: give a header string or a list of them`;
}

function toMessage(line: number, value: unknown): LogEntry {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { line, error: 'not a record (an object with messageId, to, cc, bcc)' };
  const bad = badText(value);
  if (bad) return { line, error: `${bad.path || 'record'}: ${bad.message}` };
  // Bytes that are not UTF-8 are decoded as U+FFFD: two different addresses could become one.
  if (JSON.stringify(value).includes('\uFFFD')) return { line, error: 'contains bytes that are not valid UTF-8' };
  const fields: Partial<Record<'messageId' | 'time' | 'from' | 'to' | 'cc' | 'bcc', unknown>> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = fieldOf(key);
    if (!field) continue;
    if (field in fields) return { line, error: `two keys give the ${field} (one of them ${key})` };
    fields[field] = item;
  }
  const id = fields.messageId;
  if (typeof id === 'number' && !Number.isSafeInteger(id))
    return { line, error: 'messageId: a number this large loses digits; give it as text' };
  if (typeof id !== 'string' && typeof id !== 'number') return { line, error: 'messageId: missing' };
  // <id@host> and id@host are the same Message-ID: the brackets are the header's, not the id's.
  const messageId = String(id)
    .trim()
    .replace(/^<(.*)>$/, '$1');
  if (messageId === '') return { line, error: 'messageId: empty' };
  if (messageId.length > MAX_MESSAGE_ID) return { line, error: `messageId: longer than ${MAX_MESSAGE_ID} characters` };
  let sentAt: Date | null = null;
  if (fields.time !== undefined && fields.time !== null && fields.time !== '') {
    sentAt =
      typeof fields.time === 'string' || (typeof fields.time === 'number' && Number.isFinite(fields.time))
        ? sentTime(String(fields.time))
        : null;
    if (!sentAt)
      return {
        line,
        error: `time: "${String(fields.time).slice(0, 40)}" is not a date and time with its offset (ISO 8601 like 2019-11-01T12:00:00Z, a Date header like Fri, 01 Nov 2019 12:00:00 +0000, or Unix seconds)`,
      };
  }
  const sender =
    typeof fields.from === 'string' && fields.from.trim() ? fields.from.trim().slice(0, MAX_MESSAGE_ID) : null;
  const lists: Record<'to' | 'cc' | 'bcc', string[]> = { to: [], cc: [], bcc: [] };
  let entries = 0;
  for (const name of ['to', 'cc', 'bcc'] as const) {
    const values = header(fields[name], name);
    if (typeof values === 'string') return { line, error: values };
    for (const text of values) {
      const parsed = parseAddressList(text);
      if ('error' in parsed) return { line, error: `${name}: ${parsed.error}` };
      for (const address of parsed.addresses) lists[name].push(address);
      entries += parsed.addresses.length;
    }
  }
  if (entries === 0) return { line, error: 'no recipients in to, cc or bcc' };
  const visible = [...new Set([...lists.to, ...lists.cc])];
  const seen = new Set(visible);
  const hidden = [...new Set(lists.bcc)].filter((address) => !seen.has(address));
  return { line, messageId, sentAt, sender, visible, hidden, entries };
}

/** The messages of a mail log, and its malformed lines, in order. */
export async function* readMailLog(source: Readable, format: LogFormat): AsyncGenerator<LogEntry> {
  for await (const record of format === 'jsonl' ? jsonRecords(source) : csvRecords(source)) {
    yield 'error' in record ? record : toMessage(record.line, record.value);
  }
}
