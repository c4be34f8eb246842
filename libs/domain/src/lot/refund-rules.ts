import { type AccrualFailure, type CalendarDate, type RateSchedule, accrueInterest, compareDates } from '../interest';
import { ZERO_FEN, addFen, amountOfFen, exceedsAmountLimit, fenOf } from '../money';
import type { BondFacts } from './bond';

/**
 * When a refund may be dated, and what keeps one bond from being refunded (docs/rules.md, "Dates" and
 * "Refund runs"). Interest runs to the day the money leaves (Art. 31, 57): the center names that day
 * (`refundOn`), but not before the bond became refundable (it would pay too little, and never look
 * late) nor after today (too much). The lot decider's RefundBonds and the bonds read model's
 * `refundBlocked` both ask `refundPricing`, so a reader sees exactly what a run would answer.
 */

/** Why one bond of a refund run is not instructed; the run instructs the others and changes nothing for it. */
export type RefundBlockReason = 'REFUND_BEFORE_REFUNDABLE' | 'REFUND_BEFORE_VALUE_DATE' | 'AMOUNT_LIMIT' | AccrualFailure['reason'];

export interface RefundBlock {
  readonly reason: RefundBlockReason;
  readonly message: string;
}

export type RefundPricing = { readonly ok: true; readonly interest: string } | ({ readonly ok: false } & RefundBlock);

/** The fields of a bond a refund's pricing reads. */
export type RefundableBond = Pick<BondFacts, 'bondId' | 'principal' | 'tranches' | 'refundableSince'>;

/**
 * A refundable bond's interest to `refundOn` (exclusive), or why it cannot be refunded on that day:
 * before the day it became refundable, before a tranche's value date, no rate for a value date, or
 * principal and interest above what one payment may carry.
 */
export function refundPricing(bond: RefundableBond, refundOn: CalendarDate, schedule: RateSchedule): RefundPricing {
  if (bond.refundableSince !== undefined && compareDates(refundOn, bond.refundableSince) < 0) {
    return { ok: false, reason: 'REFUND_BEFORE_REFUNDABLE', message: `refundOn is before ${bond.refundableSince}, the day bond ${bond.bondId} became refundable` };
  }
  if (bond.tranches.some((tranche) => compareDates(refundOn, tranche.valueDate) < 0)) {
    return { ok: false, reason: 'REFUND_BEFORE_VALUE_DATE', message: `refundOn is before a value date of bond ${bond.bondId}` };
  }
  const accrual = accrueInterest({ tranches: bond.tranches, to: refundOn, schedule });
  if (!accrual.ok) return { ok: false, reason: accrual.reason, message: `bond ${bond.bondId}: ${accrual.message}` };
  if (exceedsAmountLimit(addFen(fenOf(bond.principal), fenOf(accrual.value.interest)))) {
    return { ok: false, reason: 'AMOUNT_LIMIT', message: `principal and interest of bond ${bond.bondId} exceed the amount limit of one payment` };
  }
  return { ok: true, interest: accrual.value.interest };
}

/** A bond a refund run pays: due for refund, with money in it (a bond emptied by reversals stays REFUND_DUE at 0.00). */
export function isRefundable(bond: Pick<BondFacts, 'status' | 'principal'>): boolean {
  return bond.status === 'REFUND_DUE' && fenOf(bond.principal) > ZERO_FEN;
}

/** A bond a run could not instruct, as the run answers it and the bonds view shows it. */
export interface RefundNotInstructed extends RefundBlock {
  readonly bondId: string;
  readonly bidderId?: string;
}

/** What a refund run on `refundOn` does with each refundable bond, in the order given. */
export interface RefundRun<B extends RefundableBond> {
  readonly instructed: readonly { readonly bond: B; readonly interest: string }[];
  readonly notInstructed: readonly RefundNotInstructed[];
}

export function refundRun<B extends RefundableBond & Pick<BondFacts, 'status' | 'bidderId'>>(bonds: readonly B[], refundOn: CalendarDate, schedule: RateSchedule): RefundRun<B> {
  const instructed: { bond: B; interest: string }[] = [];
  const notInstructed: RefundNotInstructed[] = [];
  for (const bond of bonds) {
    if (!isRefundable(bond)) continue;
    const pricing = refundPricing(bond, refundOn, schedule);
    if (pricing.ok) instructed.push({ bond, interest: pricing.interest });
    else notInstructed.push({ bondId: bond.bondId, ...(bond.bidderId === undefined ? {} : { bidderId: bond.bidderId }), reason: pricing.reason, message: pricing.message });
  }
  return { instructed, notInstructed };
}

/** What a refund of `bond` with `interest` pays, and where: principal plus interest, to where its refunds go (原路退回, or the redirection). */
export function refundPayment(bond: Pick<BondFacts, 'principal' | 'payer' | 'refundTo'>, interest: string) {
  return { payTo: bond.refundTo ?? bond.payer, principal: bond.principal, interest, total: amountOfFen(addFen(fenOf(bond.principal), fenOf(interest))) };
}
