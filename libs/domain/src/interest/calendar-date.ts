/**
 * Calendar dates as plain `YYYY-MM-DD` strings (proleptic Gregorian, years 0000-9999). Days are
 * counted on UTC midnights, so there is no time zone, daylight saving or clock involved.
 *
 * Functions other than isCalendarDate throw a RangeError on an invalid date: callers validate
 * dates where they enter the domain.
 */
export type CalendarDate = string;

const MS_PER_DAY = 86_400_000;

export function isCalendarDate(text: unknown): text is CalendarDate {
  return epochDayOrUndefined(text) !== undefined;
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

/** Days since 1970-01-01; throws a RangeError on an invalid date. */
export function epochDay(date: CalendarDate): number {
  const day = epochDayOrUndefined(date);
  if (day === undefined) throw new RangeError(`not a calendar date (YYYY-MM-DD): "${date}"`);
  return day;
}

const DASH = 0x2d;
const ZERO = 0x30;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` that exists, else undefined. Character codes and integer
 * arithmetic, no RegExp or Date: interest reads several dates per bond, a million bonds at a time.
 */
export function epochDayOrUndefined(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  // digits is -1 for a non-digit, which every bound below refuses.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** The number written by text[start, end), or -1 if a character is not an ASCII digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!; // month is 1..12
}

/**
 * Howard Hinnant's days_from_civil (proleptic Gregorian): the year is counted from 1 March so that a
 * leap day ends it, and whole 400-year eras have 146,097 days.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const marchYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchYear / 400);
  const yearOfEra = marchYear - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
