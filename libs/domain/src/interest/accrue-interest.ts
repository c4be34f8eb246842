import { amountOfFen, fenOf, isWireAmount, parseAmount, roundHalfUpToWholeFen } from '../money';
import { type CalendarDate, epochDayOrUndefined } from './calendar-date';
import { exactDecimal } from './exact-decimal';
import { type RateStep, pricedSchedule } from './priced-schedule';
import { type RateSchedule } from './rate-schedule';

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

/** Rates are integers over 10^8 (at most 8 decimals) and principals integers in fen (over 100). */
const RATE_SCALE = 10n ** 8n;
const FEN_PER_CNY = 100n;

/**
 * Simple interest on a bond's tranches up to `to` (exclusive), over a rate schedule whose changes split
 * a holding at their effectiveFrom. A tranche whose valueDate is on or after `to` earns nothing.
 *
 * Exactness: principal (fen) × rate (over 10^8) × days is summed in bigint over every period and
 * tranche, divided by the basis once and rounded once, so no intermediate result is ever rounded to
 * the fen. `exactInterest` and `periods` are written when first read: refunds and queries read only
 * `interest`.
 */
export function accrueInterest(request: AccrualRequest): AccrualResult {
  const { tranches, to, schedule } = request;
  const priced = pricedSchedule(schedule);
  if (!priced.ok) {
    const field = priced.field === '' ? 'schedule' : `schedule.${priced.field}`;
    return failure('INVALID_RATE_SCHEDULE', field, priced.message);
  }
  const end = epochDayOrUndefined(to);
  if (end === undefined) return failure('INVALID_DATE', 'to', 'to must be a date YYYY-MM-DD');

  const { basis, steps } = priced.value;
  const holding: Holding = { to, end, steps, periods: [] };
  let sum = 0n;
  for (let index = 0; index < tranches.length; index++) {
    const tranche = tranches[index]!;
    if (!isWireAmount(tranche.amount)) {
      // parseAmount refuses exactly what isWireAmount refuses, and says why.
      const rejected = parseAmount(tranche.amount);
      if (!rejected.ok) return failure('INVALID_AMOUNT', `tranches[${index}].amount`, rejected.message);
    }
    const start = epochDayOrUndefined(tranche.valueDate);
    if (start === undefined) {
      return failure('INVALID_DATE', `tranches[${index}].valueDate`, 'valueDate must be a date YYYY-MM-DD');
    }
    if (end <= start) continue;
    const first = stepOn(steps, start);
    if (first === -1) {
      const { valueDate } = tranche;
      const message = `schedule ${schedule.scheduleId} has no rate in effect on ${valueDate}`;
      return { ok: false, reason: 'NO_RATE_FOR_DATE', date: valueDate, field: `tranches[${index}].valueDate`, message };
    }
    sum += accrueTranche(holding, tranche, start, first);
  }
  // roundHalfUpToWholeFen is the ledger's one rounding rule, roundHalfUpToFen's, on the exact fraction.
  const interest = amountOfFen(roundHalfUpToWholeFen(sum, basis * RATE_SCALE));
  return { ok: true, value: new LazyAccrual(interest, sum, basis * RATE_SCALE * FEN_PER_CNY, holding.periods) };
}

function failure(reason: InvalidInput, field: string, message: string): AccrualFailure {
  return { ok: false, reason, field, message };
}

/** What the tranches of one call share; `periods` collects theirs in order. */
interface Holding {
  readonly to: CalendarDate;
  readonly end: number;
  readonly steps: readonly RateStep[];
  readonly periods: ProductPeriod[];
}

/** An AccrualPeriod before its exact decimal is written. */
interface ProductPeriod {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly days: number;
  readonly annualRate: string;
  readonly principal: string;
  /** principal (fen) × rate (over 10^8) × days. */
  readonly product: bigint;
}

/** The index of the rate in force on `day`: steps increase, so the last one effective by then; -1 if none. */
function stepOn(steps: readonly RateStep[], day: number): number {
  let index = steps.length - 1;
  while (index >= 0 && steps[index]!.day > day) index--;
  return index;
}

/**
 * Splits the tranche's holding [valueDate, to) at every effectiveFrom inside it, starting from the rate
 * in force on valueDate (steps[first]); adds the periods and returns the sum of their products.
 */
function accrueTranche(holding: Holding, tranche: Tranche, start: number, first: number): bigint {
  const { to, end, steps, periods } = holding;
  const principal = fenOf(tranche.amount);
  let sum = 0n;
  for (let step = steps[first], index = first; step !== undefined && step.day < end; step = steps[++index]) {
    const next = steps[index + 1];
    const cut = next !== undefined && next.day < end;
    const from = index === first ? tranche.valueDate : step.effectiveFrom;
    const days = (cut ? next.day : end) - (index === first ? start : step.day);
    const product = principal * step.rateNumerator * BigInt(days);
    sum += product;
    periods.push({ from, to: cut ? next.effectiveFrom : to, days, annualRate: step.annualRate, principal: tranche.amount, product });
  }
  return sum;
}

/**
 * An Accrual whose `exactInterest` and `periods` (with their `exactAmount`) are written when read, to
 * the digit as the division by the basis in Decimal wrote them, from products taken at the call (so
 * nothing depends on the request afterwards). They are own enumerable getters: JSON.stringify and
 * toEqual see them as before, in the same key order. Each getter is one function shared by every
 * instance: a getter in an object literal is a new function per object and leaves the object in V8's
 * slow dictionary mode, which made the whole call ~4× slower.
 */
class LazyAccrual implements Accrual {
  static readonly #exactInterest: PropertyDescriptor = {
    enumerable: true,
    get(this: LazyAccrual): string {
      return exactDecimal(this.#sum, this.#perCny);
    },
  };
  static readonly #periods: PropertyDescriptor = {
    enumerable: true,
    get(this: LazyAccrual): readonly AccrualPeriod[] {
      this.#written ??= this.#products.map(({ from, to, days, annualRate, principal, product }) => {
        return { from, to, days, annualRate, principal, exactAmount: exactDecimal(product, this.#perCny) };
      });
      return this.#written;
    },
  };
  declare readonly exactInterest: string;
  declare readonly periods: readonly AccrualPeriod[];
  readonly #sum: bigint;
  /** Product units in one CNY: basis × 10^8 × 100. */
  readonly #perCny: bigint;
  readonly #products: readonly ProductPeriod[];
  #written: readonly AccrualPeriod[] | undefined;

  constructor(readonly interest: string, sum: bigint, perCny: bigint, products: readonly ProductPeriod[]) {
    this.#sum = sum;
    this.#perCny = perCny;
    this.#products = products;
    // Two defineProperty calls cost half of one defineProperties.
    Object.defineProperty(this, 'exactInterest', LazyAccrual.#exactInterest);
    Object.defineProperty(this, 'periods', LazyAccrual.#periods);
  }
}
