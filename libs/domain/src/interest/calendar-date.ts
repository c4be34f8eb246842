/**
 * Calendar dates as plain `YYYY-MM-DD` strings (proleptic Gregorian, years 0000-9999). Days are
 * counted on UTC midnights, so there is no time zone, daylight saving or clock involved.
 *
 * Functions other than isCalendarDate throw a RangeError on an invalid date: callers validate
 * dates where they enter the domain.
 */
export type CalendarDate = string;

const MS_PER_DAY = 86_400_000;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: unknown): text is CalendarDate {
  return typeof text === 'string' && epochDayOrUndefined(text) !== undefined;
}

/** Whole days from `from` to `to`: 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return epochDay(to) - epochDay(from);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`addDays: ${days} is not a whole number of days`);
  const moved = new Date((epochDay(date) + days) * MS_PER_DAY);
  const year = moved.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`addDays: ${date} + ${days} days leaves years 0000-9999`);
  return `${pad(year, 4)}-${pad(moved.getUTCMonth() + 1, 2)}-${pad(moved.getUTCDate(), 2)}`;
}

/** -1, 0 or 1 as a is before, the same day as or after b. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  return Math.sign(daysBetween(b, a)) as -1 | 0 | 1;
}

function epochDay(date: CalendarDate): number {
  const day = epochDayOrUndefined(date);
  if (day === undefined) throw new RangeError(`not a calendar date (YYYY-MM-DD): "${date}"`);
  return day;
}

function epochDayOrUndefined(text: string): number | undefined {
  const match = DATE_SHAPE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day);
  // Date rolls 2026-02-30 over to March: a date that does not read back unchanged does not exist.
  const exists =
    midnight.getUTCFullYear() === year && midnight.getUTCMonth() === month - 1 && midnight.getUTCDate() === day;
  return exists ? midnight.getTime() / MS_PER_DAY : undefined;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
