import {
  Decimal,
  type LotState,
  type RateSchedule,
  type RefundInstructed,
  accrueInterest,
  compareDates,
  addAmounts,
  formatAmount,
  parseAmount,
  sumAmounts, lotBond } from '@app/domain';
import { canonicalJson } from '@app/event-store';

export interface RefundProblem {
  readonly code: string;
  readonly message: string;
  readonly details: { readonly [name: string]: string };
}

/**
 * A refund instruction recomputed from what it was decided on: the bond's tranches in the lot as the
 * lot decider replays it just before the instruction, and the lot's rate schedule as defined in the
 * log. The interest is recomputed with the domain's `accrueInterest` (one `roundHalfUpToFen` at the
 * end) and must equal the recorded one to the fen; so must principal and total, and the rates the
 * instruction says it used must be the schedule's.
 */
export function checkRefundInstructed(
  data: RefundInstructed['data'],
  lot: LotState | undefined,
  schedules: ReadonlyMap<string, RateSchedule>,
): RefundProblem[] {
  const refund = { refundId: String(data.refundId), bondId: String(data.bondId) };
  if (!lot?.terms) return [{ code: 'LOT_UNKNOWN', message: `no lot ${data.lotId} before the refund`, details: refund }];
  const bond = lotBond(lot, data.bondId);
  if (!bond) return [{ code: 'BOND_UNKNOWN', message: `lot ${data.lotId} has no bond ${data.bondId}`, details: refund }];
  const schedule = schedules.get(lot.terms.rateScheduleId);
  if (!schedule) {
    return [{ code: 'SCHEDULE_UNKNOWN', message: `rate schedule ${lot.terms.rateScheduleId} is not defined in the log`, details: refund }];
  }
  const recorded = { principal: parseAmount(data.principal), interest: parseAmount(data.interest), total: parseAmount(data.total) };
  for (const [field, parsed] of Object.entries(recorded)) {
    if (!parsed.ok) return [{ code: 'MALFORMED_AMOUNT', message: `${field}: ${parsed.message}`, details: refund }];
  }
  const problems: RefundProblem[] = [];

  const used = canonicalJson({ dayCount: data.dayCount, rates: data.rates });
  const defined = canonicalJson({ dayCount: schedule.dayCount, rates: schedule.entries });
  if (used !== defined) {
    problems.push({ code: 'RATES_NOT_SCHEDULE', message: `the rates recorded are not those of schedule ${schedule.scheduleId}`, details: { ...refund, recorded: used, schedule: defined } });
  }

  const tranchesSum = formatAmount(sumAmounts(bond.tranches.map((tranche) => Decimal(tranche.amount))));
  if (data.principal !== bond.principal || tranchesSum !== bond.principal) {
    problems.push({
      code: 'PRINCIPAL_MISMATCH',
      message: `principal ${data.principal} recorded, the bond holds ${bond.principal} in tranches of ${tranchesSum}`,
      details: { ...refund, recorded: data.principal, bond: bond.principal, tranches: tranchesSum },
    });
  }

  // Interest runs to the day the money leaves: never from before the bond became refundable (docs/rules.md, 2).
  if (bond.refundableSince !== undefined && compareDates(data.refundOn, bond.refundableSince) < 0) {
    problems.push({
      code: 'REFUND_BEFORE_REFUNDABLE',
      message: `refundOn ${data.refundOn} is before ${bond.refundableSince}, the day the bond became refundable`,
      details: { ...refund, refundOn: data.refundOn, refundableSince: bond.refundableSince },
    });
  }

  const accrual = accrueInterest({ tranches: bond.tranches, to: data.refundOn, schedule });
  if (!accrual.ok) {
    problems.push({ code: 'INTEREST_NOT_COMPUTABLE', message: accrual.message, details: { ...refund, refundOn: String(data.refundOn) } });
  } else if (accrual.value.interest !== data.interest) {
    problems.push({
      code: 'INTEREST_MISMATCH',
      message: `interest ${data.interest} recorded, ${accrual.value.interest} recomputed (${schedule.dayCount}, to ${data.refundOn} exclusive)`,
      details: { ...refund, recorded: data.interest, recomputed: accrual.value.interest, exact: accrual.value.exactInterest, refundOn: data.refundOn },
    });
  }

  // 原路退回, or the account an operator redirected the bond's refunds to after a failure (RefundRedirected).
  const path = bond.refundTo ?? bond.payer;
  if (canonicalJson(data.payTo) !== canonicalJson(path)) {
    problems.push({
      code: 'PAY_TO_NOT_BOND_PATH',
      message: `pays to account ${data.payTo.accountNo} at ${data.payTo.bankCode}, the bond's refunds go to ${path.accountNo} at ${path.bankCode}`,
      details: { ...refund, recorded: canonicalJson(data.payTo), bond: canonicalJson(path) },
    });
  }

  const total = formatAmount(addAmounts(Decimal(data.principal), Decimal(data.interest)));
  if (total !== data.total) {
    problems.push({ code: 'TOTAL_MISMATCH', message: `total ${data.total} recorded, principal + interest = ${total}`, details: { ...refund, recorded: data.total, sum: total } });
  }
  return problems;
}
