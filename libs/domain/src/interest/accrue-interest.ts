import { Decimal, formatAmount, parseAmount, roundHalfUpToFen } from '../money';
import { type CalendarDate, compareDates, daysBetween, isCalendarDate } from './calendar-date';
import { type DayCount, type RateEntry, type RateSchedule, validateRateSchedule } from './rate-schedule';

export interface Tranche {
  /** Principal in wire form, "50000.00". */
  readonly amount: string;
  /** The day the money was credited; it earns interest from this day (入账当日开始计息). */
  readonly valueDate: CalendarDate;
}

export interface AccrualRequest {
  readonly tranches: readonly Tranche[];
  /** The refund (or as-of) date: excluded from the count (算头不算尾). */
  readonly to: CalendarDate;
  readonly schedule: RateSchedule;
}

/** One tranche at one rate: [from, to), the first day counted and the last not. */
export interface AccrualPeriod {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly days: number;
  readonly annualRate: string;
  readonly principal: string;
  /** principal × annualRate × days / basis, unrounded (to 40 decimal places); for display and audit. */
  readonly exactAmount: string;
}

export interface Accrual {
  /** The interest owed, rounded half up to the fen, once, over all tranches and periods. */
  readonly interest: string;
  /** The same sum before rounding (to 40 decimal places). */
  readonly exactInterest: string;
  /** Tranche by tranche in the order given, each tranche's periods in date order. */
  readonly periods: readonly AccrualPeriod[];
}

type InvalidInput = 'INVALID_AMOUNT' | 'INVALID_DATE' | 'INVALID_RATE_SCHEDULE';

export type AccrualFailure =
  | { ok: false; reason: 'NO_RATE_FOR_DATE'; date: CalendarDate; field: string; message: string }
  | { ok: false; reason: InvalidInput; field: string; message: string };

export type AccrualResult = { ok: true; value: Accrual } | AccrualFailure;

/**
 * ACT/365 is ACT/365 Fixed: the basis stays 365 in a leap year, so a holding that spans 29 February
 * counts that day and still divides by 365.
 */
const DAYS_PER_YEAR: Record<DayCount, string> = { 'ACT/360': '360', 'ACT/365': '365' };

/**
 * Simple interest on a bond's tranches up to `to` (exclusive), over a rate schedule whose changes split
 * a holding at their effectiveFrom. A tranche whose valueDate is on or after `to` earns nothing.
 *
 * Exactness: principal × rate × days is summed exactly over every period and tranche, divided by the
 * basis once and rounded once, so no intermediate result is ever rounded to the fen.
 */
export function accrueInterest(request: AccrualRequest): AccrualResult {
  const { tranches, to, schedule } = request;
  const checkedSchedule = validateRateSchedule(schedule);
  if (!checkedSchedule.ok) {
    const field = checkedSchedule.field === '' ? 'schedule' : `schedule.${checkedSchedule.field}`;
    return failure('INVALID_RATE_SCHEDULE', field, checkedSchedule.message);
  }
  if (!isCalendarDate(to)) return failure('INVALID_DATE', 'to', 'to must be a date YYYY-MM-DD');

  const basis = Decimal(DAYS_PER_YEAR[schedule.dayCount]);
  const periods: AccrualPeriod[] = [];
  let sumOfProducts = Decimal('0');
  for (const [index, tranche] of tranches.entries()) {
    const field = `tranches[${index}]`;
    const principal = parseAmount(tranche.amount);
    if (!principal.ok) return failure('INVALID_AMOUNT', `${field}.amount`, principal.message);
    if (!isCalendarDate(tranche.valueDate)) {
      return failure('INVALID_DATE', `${field}.valueDate`, 'valueDate must be a date YYYY-MM-DD');
    }
    const holding = ratePeriods(tranche.valueDate, to, schedule.entries);
    if (holding === undefined) {
      const message = `schedule ${schedule.scheduleId} has no rate in effect on ${tranche.valueDate}`;
      return { ok: false, reason: 'NO_RATE_FOR_DATE', date: tranche.valueDate, field: `${field}.valueDate`, message };
    }
    for (const { from, until, annualRate } of holding) {
      const days = daysBetween(from, until);
      const product = principal.value.times(annualRate).times(BigInt(days));
      sumOfProducts = sumOfProducts.plus(product);
      const exactAmount = product.div(basis).toFixed();
      periods.push({ from, to: until, days, annualRate, principal: tranche.amount, exactAmount });
    }
  }
  const exactInterest = sumOfProducts.div(basis);
  const interest = formatAmount(roundHalfUpToFen(exactInterest));
  return { ok: true, value: { interest, exactInterest: exactInterest.toFixed(), periods } };
}

function failure(reason: InvalidInput, field: string, message: string): AccrualFailure {
  return { ok: false, reason, field, message };
}

interface RatePeriod {
  readonly from: CalendarDate;
  readonly until: CalendarDate;
  readonly annualRate: string;
}

/**
 * Splits [valueDate, to) at every effectiveFrom inside it. Empty when nothing is held (to on or before
 * valueDate); undefined when the holding starts before the schedule's first entry.
 */
function ratePeriods(
  valueDate: CalendarDate,
  to: CalendarDate,
  entries: readonly RateEntry[],
): RatePeriod[] | undefined {
  if (compareDates(to, valueDate) <= 0) return [];
  // Entries are strictly increasing, so the rate in force is the last one effective by valueDate.
  const first = entries.filter((entry) => compareDates(entry.effectiveFrom, valueDate) <= 0).length - 1;
  if (first === -1) return undefined;
  const periods: RatePeriod[] = [];
  for (let index = first; index < entries.length && compareDates(entries[index].effectiveFrom, to) < 0; index++) {
    const next = entries[index + 1];
    periods.push({
      from: index === first ? valueDate : entries[index].effectiveFrom,
      until: next !== undefined && compareDates(next.effectiveFrom, to) < 0 ? next.effectiveFrom : to,
      annualRate: entries[index].annualRate,
    });
  }
  return periods;
}
