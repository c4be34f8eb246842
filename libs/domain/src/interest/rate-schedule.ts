import { type CalendarDate, compareDates, isCalendarDate } from './calendar-date';

export type DayCount = 'ACT/360' | 'ACT/365';
export const DAY_COUNTS: readonly DayCount[] = ['ACT/360', 'ACT/365'];

export interface RateEntry {
  /** First day on which the rate applies. */
  readonly effectiveFrom: CalendarDate;
  /** Annual rate as a decimal string: "0.0035" is 0.35% a year. */
  readonly annualRate: string;
}

export interface RateSchedule {
  readonly scheduleId: string;
  readonly dayCount: DayCount;
  /** Strictly increasing effectiveFrom; each rate applies until the next entry's effectiveFrom. */
  readonly entries: readonly RateEntry[];
}

export type RateScheduleRejection =
  | 'MALFORMED_SCHEDULE'
  | 'INVALID_SCHEDULE_ID'
  | 'INVALID_DAY_COUNT'
  | 'NO_ENTRIES'
  | 'INVALID_ENTRY'
  | 'INVALID_EFFECTIVE_DATE'
  | 'EFFECTIVE_DATES_NOT_INCREASING'
  | 'INVALID_ANNUAL_RATE';

export type ValidatedRateSchedule =
  | { ok: true; value: RateSchedule }
  | { ok: false; reason: RateScheduleRejection; field: string; message: string };

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** At least 0, below 1, at most 8 decimals: "0", "0.0035", "0.12345678". */
const ANNUAL_RATE = /^0(\.\d{1,8})?$/;

/** The People's Bank of China benchmark demand-deposit rate: 0.35% a year since 24 October 2015. */
export const PBOC_DEMAND_SCHEDULE: RateSchedule = deepFreeze({
  scheduleId: 'PBOC-DEMAND',
  dayCount: 'ACT/360',
  entries: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }],
});

/** Checks a schedule as received (e.g. a JSON body) and returns a clean copy of its known fields. */
export function validateRateSchedule(input: unknown): ValidatedRateSchedule {
  if (!isRecord(input)) return rejected('MALFORMED_SCHEDULE', '', 'a rate schedule must be an object');
  const { scheduleId, dayCount, entries } = input;
  if (typeof scheduleId !== 'string' || !IDENTIFIER.test(scheduleId)) {
    return rejected('INVALID_SCHEDULE_ID', 'scheduleId', 'scheduleId must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');
  }
  if (!isDayCount(dayCount)) {
    return rejected('INVALID_DAY_COUNT', 'dayCount', `dayCount must be one of ${DAY_COUNTS.join(', ')}`);
  }
  if (!Array.isArray(entries) || entries.length === 0) {
    return rejected('NO_ENTRIES', 'entries', 'entries must be a non-empty list');
  }
  const checked: RateEntry[] = [];
  for (const [index, entry] of entries.entries()) {
    const field = `entries[${index}]`;
    if (!isRecord(entry)) return rejected('INVALID_ENTRY', field, 'an entry must be an object');
    const { effectiveFrom, annualRate } = entry;
    if (!isCalendarDate(effectiveFrom)) {
      return rejected('INVALID_EFFECTIVE_DATE', `${field}.effectiveFrom`, 'effectiveFrom must be a date YYYY-MM-DD');
    }
    const previous = checked[index - 1];
    if (previous !== undefined && compareDates(previous.effectiveFrom, effectiveFrom) >= 0) {
      return rejected(
        'EFFECTIVE_DATES_NOT_INCREASING',
        `${field}.effectiveFrom`,
        `effectiveFrom ${effectiveFrom} must be after the previous entry's ${previous.effectiveFrom}`,
      );
    }
    if (typeof annualRate !== 'string' || !ANNUAL_RATE.test(annualRate)) {
      return rejected(
        'INVALID_ANNUAL_RATE',
        `${field}.annualRate`,
        'annualRate must be a decimal string at least 0 and below 1 with at most 8 decimals, such as "0.0035"',
      );
    }
    checked.push({ effectiveFrom, annualRate });
  }
  return { ok: true, value: { scheduleId, dayCount, entries: checked } };
}

function rejected(reason: RateScheduleRejection, field: string, message: string): ValidatedRateSchedule {
  return { ok: false, reason, field, message };
}

function isDayCount(value: unknown): value is DayCount {
  return DAY_COUNTS.some((dayCount) => dayCount === value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze(schedule: RateSchedule): RateSchedule {
  schedule.entries.forEach((entry) => Object.freeze(entry));
  Object.freeze(schedule.entries);
  return Object.freeze(schedule);
}
