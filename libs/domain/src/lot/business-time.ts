import { CalendarDate, addDays, compareDates } from '../interest';

/**
 * Instants on the wire carry their offset; business dates (value dates, due dates) are calendar days
 * in China Standard Time, where tender centers, banks and the law count their days.
 */
const CHINA_STANDARD_TIME_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Days the law allows between the triggering notice or contract and the refund (Art. 35, Art. 57). */
export const REFUND_PERIOD_DAYS = 5;

/** Milliseconds since the epoch of an ISO-8601 instant with an offset; validated at the edge. */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`);
  return ms;
}

export function isAfter(a: string, b: string): boolean {
  return instantMs(a) > instantMs(b);
}

/** The calendar date in China Standard Time on which an instant falls. */
export function businessDateOf(instant: string): CalendarDate {
  return new Date(instantMs(instant) + CHINA_STANDARD_TIME_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last day on which a refund is on time, counting from a notice or contract date. */
export function refundDueBy(from: CalendarDate): CalendarDate {
  return addDays(from, REFUND_PERIOD_DAYS);
}

/**
 * How far ahead of the ledger's clock an instant a caller sends (a notice's or a credit's receipt) may
 * lie: the callers' clocks (the bank's ESB, the tender system) drift from ours by seconds, never by
 * minutes. Beyond it, the instant has not happened yet. docs/rules.md states the value.
 */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** An instant a caller sends lies beyond the ledger's clock reading `now` plus the clock skew. */
export function isInstantInFuture(instant: string, now: string): boolean {
  return instantMs(instant) > instantMs(now) + CLOCK_SKEW_MS;
}

/** The latest business date a caller may name at `now`: today in China Standard Time, under the same skew. */
export function latestBusinessDate(now: string): CalendarDate {
  return businessDateOf(new Date(instantMs(now) + CLOCK_SKEW_MS).toISOString());
}

/** A business date a caller sends (a contract's, a refund's) lies after today. */
export function isDateInFuture(date: CalendarDate, now: string): boolean {
  return compareDates(date, latestBusinessDate(now)) > 0;
}

/** The first instant of a business date: its 00:00 in China Standard Time. */
export function startOfBusinessDay(date: CalendarDate): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_STANDARD_TIME_OFFSET_MS).toISOString();
}
