import { CalendarDate, addDays } from '../interest';

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
