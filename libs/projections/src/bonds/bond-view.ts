import { type LotRegistered, type RateSchedule, type RefundBlock, accrueInterest, isCalendarDate, isRefundable, refundOverdueOn, refundPricing } from '@app/domain';
import type { Bond } from './bonds.projection';

export interface BondView extends Bond {
  /** The business date the view is for ("today", given by the caller: projections have no clock). */
  readonly asOf: string;
  /**
   * HELD or REFUND_DUE: interest accrued from each tranche's value date to `asOf` exclusive (算头不算尾),
   * rounded once — to the fen what a refund instructed with `refundOn = asOf` pays. REFUND_PENDING or
   * REFUNDED: the interest of the refund instructed (fixed at its `refundOn`). FORFEITED: "0.00" (no
   * interest on a forfeited bond). Absent when the schedule cannot price the bond (`interestError`).
   */
  readonly accruedInterest?: string;
  /** The day (exclusive) `accruedInterest` runs to: `asOf`, or the refund's `refundOn`. */
  readonly interestTo?: string;
  /** Why no interest could be computed, e.g. NO_RATE_FOR_DATE (a value date before the schedule's first rate). */
  readonly interestError?: { readonly reason: string; readonly message: string };
  /** Its refund is owed and `asOf` is after `refundDueBy`: the domain's `refundOverdueOn` (Art. 57). */
  readonly overdue: boolean;
  /**
   * REFUND_DUE with money in it, and a refund run dated `asOf` could not instruct it: the reason, as the
   * run answers it (`refundPricing` of @app/domain, the lot decider's own rule). Absent otherwise.
   */
  readonly refundBlocked?: RefundBlock;
}

/**
 * A bond as shown to a reader on `today`, with its accrued interest. `lotTerms` are the bond's lot's
 * (`LotRegistered` data) and `schedule` the rate schedule they name: a mismatch is a caller's bug and
 * throws, as does a `today` that is not a date.
 */
export function bondView(bond: Bond, lotTerms: LotRegistered['data'], schedule: RateSchedule, today: string): BondView {
  if (!isCalendarDate(today)) throw new RangeError(`bondView: today must be a date YYYY-MM-DD, got "${today}"`);
  if (lotTerms.lotId !== bond.lotId) throw new RangeError(`bondView: bond ${bond.bondId} is not of lot ${lotTerms.lotId}`);
  if (schedule.scheduleId !== lotTerms.rateScheduleId) {
    throw new RangeError(`bondView: lot ${lotTerms.lotId} accrues at schedule ${lotTerms.rateScheduleId}, not ${schedule.scheduleId}`);
  }
  const view = { ...bond, asOf: today, overdue: refundOverdueOn(bond, today) };
  switch (bond.status) {
    case 'FORFEITED':
      return { ...view, accruedInterest: '0.00' };
    case 'REFUND_PENDING':
    case 'REFUNDED': {
      // A bond pending or refunded has had its refund instructed.
      const refund = bond.refunds.at(-1);
      return refund ? { ...view, accruedInterest: refund.interest, interestTo: refund.refundOn } : view;
    }
    case 'HELD':
    case 'REFUND_DUE': {
      // The very call the lot decider makes for RefundBonds (same tranches, same schedule, `to` = the refund day).
      const accrual = accrueInterest({ tranches: bond.tranches, to: today, schedule });
      const pricing = isRefundable(bond) ? refundPricing(bond, today, schedule) : undefined;
      const blocked = pricing && !pricing.ok ? { ...view, refundBlocked: { reason: pricing.reason, message: pricing.message } } : view;
      return accrual.ok
        ? { ...blocked, accruedInterest: accrual.value.interest, interestTo: today }
        : { ...blocked, interestError: { reason: accrual.reason, message: accrual.message } };
    }
  }
}
