import { addDays, compareDates } from '../interest';
import { businessDateOf, isInstantInFuture } from '../lot';
import type { InboundCreditRequest, SuspenseReason } from './inbound-credit';

/**
 * The dates a bank's ESB sends with a credit (docs/rules.md, "Dates"). Money the bank received is never
 * refused: a credit whose dates cannot be true is suspended for an operator instead of accruing interest
 * from a day the money was not there.
 */

/**
 * How many calendar days a value date may lie before the business day of receipt: a back-valued credit
 * (a correction, a package posted after a public holiday of up to 9 days) stays within it.
 */
export const MAX_BACK_VALUE_DAYS = 10;

/** Why a credit's dates keep it from a lot, or undefined when they may be true. */
export function implausibleDates(request: Pick<InboundCreditRequest, 'receivedAt' | 'valueDate'>, now: string): SuspenseReason | undefined {
  if (isInstantInFuture(request.receivedAt, now)) return 'RECEIVED_IN_FUTURE';
  const receivedOn = businessDateOf(request.receivedAt);
  if (compareDates(request.valueDate, receivedOn) > 0) return 'VALUE_DATE_AFTER_RECEIPT';
  if (compareDates(request.valueDate, addDays(receivedOn, -MAX_BACK_VALUE_DAYS)) < 0) return 'VALUE_DATE_TOO_OLD';
  return undefined;
}
