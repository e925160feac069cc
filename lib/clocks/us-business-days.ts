// US business days for SEC deadlines: Monday–Friday except US federal holidays as observed
// (a Saturday holiday on the Friday before, a Sunday holiday on the Monday after), per 18F's
// @18f/us-federal-holidays. Dates are calendar dates in America/New_York.
import { allForYear } from '@18f/us-federal-holidays';
import type { DateTime } from 'luxon';

export const SEC_ZONE = 'America/New_York';

const holidaysByYear = new Map<number, Set<string>>();

function holidays(year: number): Set<string> {
  let set = holidaysByYear.get(year);
  if (!set) {
    set = new Set(
      allForYear(year, { shiftSaturdayHolidays: true, shiftSundayHolidays: true }).map((h) => h.dateString),
    );
    holidaysByYear.set(year, set);
  }
  return set;
}

export function isUsBusinessDay(date: DateTime): boolean {
  if (date.weekday > 5) return false;
  const iso = date.toISODate()!;
  // An observed New Year's Day can fall on Dec 31 of the year before.
  return !holidays(date.year).has(iso) && !holidays(date.year + 1).has(iso);
}

/** The calendar date `count` US business days after `from`'s date (the day of `from` is day 0). */
export function addUsBusinessDays(from: DateTime, count: number): DateTime {
  let day = from.setZone(SEC_ZONE).startOf('day');
  for (let added = 0; added < count; ) {
    day = day.plus({ days: 1 });
    if (isUsBusinessDay(day)) added++;
  }
  return day;
}
