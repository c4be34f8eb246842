import type { CalendarDate } from '../interest';
import { ZERO_FEN, fenOf } from '../money';
import { addDays, compareDates } from '../interest';
import { isOwed } from './bond';
import { startOfBusinessDay } from './business-time';
import type { RefundOverdue } from './lot-events';
import { type BondState, type LotState, type RegisteredLot, lotBonds, lotRefunds } from './lot-state';

/**
 * Art. 57 of the 招标投标法实施条例: bid bonds are refunded within 5 days of the contract's signing (Art. 35:
 * of a withdrawal notice; Art. 31: promptly on termination). `refundDueBy` is the last day on time; a
 * refund still owed when that day ends is overdue, and the ledger says so once, as an event
 * (RefundOverdue, recorded by RecordTimePassed). The one home of that rule: the lot decider, the lot
 * clock and the audit all ask these functions.
 *
 * Owed means due (REFUND_DUE) or instructed and not yet reported (REFUND_PENDING), with money in the
 * bond: an instruction out is not a payment made. Once per bond and due date: a later settlement is
 * simply the late refund (`late` on its instruction); a refund that fails after its limit records no
 * second RefundOverdue, the bond stays overdue in the queues until it is paid.
 */

/** The first instant at which a refund due by `dueBy` is overdue: 00:00 China Standard Time the day after. */
export function refundOverdueFrom(dueBy: CalendarDate): string {
  return startOfBusinessDay(addDays(dueBy, 1));
}

/** A bond whose refund is owed by a due date the ledger has not yet recorded overdue, and when it will be. */
export interface RefundLimit {
  readonly bond: BondState;
  readonly refundDueBy: CalendarDate;
  readonly overdueFrom: string;
}

/** Owed a refund: due or instructed and not reported paid, with money in it. */
function owesRefund(bond: Pick<BondState, 'status' | 'principal'>): boolean {
  return (bond.status === 'REFUND_DUE' || bond.status === 'REFUND_PENDING') && fenOf(bond.principal) > ZERO_FEN;
}

/** Whether a bond's refund is overdue on the business date `today`: owed, and its due date is past. */
export function refundOverdueOn(bond: Pick<BondState, 'status' | 'principal' | 'refundDueBy'>, today: CalendarDate): boolean {
  return owesRefund(bond) && bond.refundDueBy !== undefined && compareDates(today, bond.refundDueBy) > 0;
}

/** The limit still ahead of a bond, or undefined: not owed a refund, no due date, or already recorded overdue for it. */
export function refundLimitOf(bond: BondState): RefundLimit | undefined {
  const dueBy = bond.refundDueBy;
  if (!owesRefund(bond) || dueBy === undefined || bond.overdueFor === dueBy) return undefined;
  return { bond, refundDueBy: dueBy, overdueFrom: refundOverdueFrom(dueBy) };
}

/** Every refund limit still ahead in a lot, in bond order. */
export function refundLimitsOf(lot: LotState): RefundLimit[] {
  return lotBonds(lot).flatMap((bond) => refundLimitOf(bond) ?? []);
}

/** The RefundOverdue a limit gives once `observedAt` (at or after `overdueFrom`) has come. */
export function refundOverdue(lot: RegisteredLot, limit: RefundLimit, observedAt: string): RefundOverdue {
  const { bond } = limit;
  const data: RefundOverdue['data'] = {
    lotId: lot.terms.lotId,
    bondId: bond.bondId,
    principal: bond.principal,
    refundDueBy: limit.refundDueBy,
    observedAt,
    instructionPending: bond.status === 'REFUND_PENDING',
  };
  if (bond.bidderId !== undefined) data.bidderId = bond.bidderId;
  if (bond.status === 'REFUND_PENDING') {
    const pending = lotRefunds(lot).find((refund) => refund.bondId === bond.bondId && refund.status === 'INSTRUCTED');
    if (pending) data.refundId = pending.refundId;
  }
  return { type: 'RefundOverdue', data };
}

/**
 * Whether the lot clock must keep following a lot: its deadline or opening is still to be recorded, or it
 * still owes a bond (a held bond gets its due date from a later award, withdrawal or termination). A
 * lot that owes nothing leaves the clock's memory.
 */
export function lotAwaitsTime(lot: LotState): boolean {
  if (!lot.terms) return false;
  return !lot.depositsClosed || !lot.bidsOpened || lotBonds(lot).some((bond) => isOwed(bond.status));
}
