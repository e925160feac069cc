// Time helpers shared by forms and pages.
import { DateTime } from 'luxon';

/**
 * A `datetime-local` form value ("2026-11-24T09:30") read in the browser's time zone, as an ISO
 * instant with offset; undefined when empty. Invalid input is passed through so that the schema
 * reports it.
 */
export function localInputToIso(value: FormDataEntryValue | null, zone: FormDataEntryValue | null): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return undefined;
  const parsed = DateTime.fromISO(text, { zone: typeof zone === 'string' && zone ? zone : 'utc' });
  return parsed.isValid ? parsed.toISO()! : text;
}

/** A time as every reader reads it the same: UTC, to the minute ("2026-11-24 09:30 UTC"). */
export const utcMinute = (at: Date | string) =>
  `${(typeof at === 'string' ? at : at.toISOString()).slice(0, 16).replace('T', ' ')} UTC`;

/** "3d 4h", "2h 05m", "45m", "12s" — compact, for clocks and ages. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}
