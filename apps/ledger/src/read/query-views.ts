import { Decimal, formatAmount, sealedLotStatus, subtractAmounts } from '@app/domain';
import type { LotSummary } from '@app/projections';

/**
 * What the query routes answer, shaped from the read models. Balances in the models are debits minus
 * credits (a virtual account holding 100.00 reads "-100.00"); on the wire a balance is the money the
 * account holds, a positive amount.
 */
export function heldAmount(debitsMinusCredits: string): string {
  return formatAmount(subtractAmounts(Decimal('0'), Decimal(debitsMinusCredits)));
}

/**
 * GET /v1/lots/{lotId}: status, terms, deadlines and virtual accounts; the confidential part (bond
 * count, total paid, which bidder a per-bidder account is for, and what the money did to the status:
 * REFUNDING, SETTLED) only when `disclose`. Otherwise the status is the sealed one (`sealedLotStatus`,
 * as the Kafka publisher gives it): a terminated lot's refunds would tell that somebody paid.
 */
export function lotView(lot: LotSummary, disclose: boolean) {
  const { terms } = lot;
  return {
    lotId: lot.lotId,
    centerId: lot.centerId,
    projectCode: terms.projectCode,
    name: terms.name,
    status: disclose
      ? lot.status
      : sealedLotStatus({ depositsClosed: lot.depositsClosed, bidsOpened: !lot.sealed, awarded: lot.award !== undefined, terminated: lot.termination !== undefined }),
    sealed: lot.sealed,
    estimatedPrice: terms.estimatedPrice,
    bondAmount: terms.bondAmount,
    depositDeadline: terms.depositDeadline,
    bidOpeningTime: terms.bidOpeningTime,
    basicAccountPolicy: terms.basicAccountPolicy,
    rateScheduleId: terms.rateScheduleId,
    depositsClosed: lot.depositsClosed,
    ...(lot.award ? { award: lot.award } : {}),
    ...(lot.termination ? { termination: lot.termination } : {}),
    virtualAccounts: lot.virtualAccounts.map(({ bidderId, ...account }) => (disclose && bidderId !== undefined ? { ...account, bidderId } : account)),
    ...(disclose ? { bondCount: lot.confidential.bondCount, totalPrincipal: lot.confidential.totalPrincipal } : {}),
  };
}
