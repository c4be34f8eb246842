import { type CalendarDate, epochDay } from './calendar-date';
import { type DayCount, type RateSchedule, type ValidatedRateSchedule, validateRateSchedule } from './rate-schedule';

/** A rate entry read into integers. */
export interface RateStep {
  readonly effectiveFrom: CalendarDate;
  /** effectiveFrom in days since 1970-01-01. */
  readonly day: number;
  readonly annualRate: string;
  /** annualRate × 10^8, exact: a rate has at most 8 decimals. */
  readonly rateNumerator: bigint;
}

/** A validated schedule, as accrueInterest computes with it. */
export interface PricedSchedule {
  /** Days in a year: 360 or 365. */
  readonly basis: bigint;
  /** The entries in their (strictly increasing) order. */
  readonly steps: readonly RateStep[];
}

export type PricedScheduleResult = { ok: true; value: PricedSchedule } | Extract<ValidatedRateSchedule, { ok: false }>;

/**
 * ACT/365 is ACT/365 Fixed: the basis stays 365 in a leap year, so a holding that spans 29 February
 * counts that day and still divides by 365.
 */
const DAYS_PER_YEAR: Record<DayCount, bigint> = { 'ACT/360': 360n, 'ACT/365': 365n };

/**
 * Validated and read once per schedule object: a query over every bond, and a lot's refunds, pass
 * the same object again and again. A schedule is a value (readonly throughout): one changed in place
 * after it was priced keeps the rates first read. Only valid schedules are remembered, so an invalid
 * one is validated, and refused the same way, on every call.
 */
const priced = new WeakMap<RateSchedule, PricedSchedule>();

export function pricedSchedule(schedule: RateSchedule): PricedScheduleResult {
  const known = priced.get(schedule);
  if (known !== undefined) return { ok: true, value: known };
  const checked = validateRateSchedule(schedule);
  if (!checked.ok) return checked;
  const value: PricedSchedule = {
    basis: DAYS_PER_YEAR[checked.value.dayCount],
    steps: checked.value.entries.map(({ effectiveFrom, annualRate }) => ({
      effectiveFrom,
      day: epochDay(effectiveFrom),
      annualRate,
      rateNumerator: rateNumerator(annualRate),
    })),
  };
  priced.set(schedule, value);
  return { ok: true, value };
}

/** "0.0035" → 350000n; a valid rate is "0" or "0." and 1 to 8 digits. */
function rateNumerator(annualRate: string): bigint {
  return BigInt(annualRate.slice(2).padEnd(8, '0'));
}
