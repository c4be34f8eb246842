import type { Rejection } from '../decider';
import type { CreditBond, CreditSource } from '../lot';
import type { VirtualAccountIssuedData } from '../setup';
import type { VirtualAccountNoClassification } from '../virtual-account';
import type { CreditOutcome, InboundCreditReceived, ReturnReason } from './inbound-credit';

/**
 * The steps of automatic classification (自动资金清分) that are not the lot's business: the payee
 * number itself, and turning the lot's refusals into the answers the ESB expects.
 */

/** Suspense for a payee number that names no virtual account this ledger could have issued. */
export function suspenseForPayee(classification: VirtualAccountNoClassification, bankCode: string): CreditOutcome | undefined {
  switch (classification.kind) {
    case 'VIRTUAL':
      return undefined;
    case 'BAD_CHECK_DIGIT':
      return { outcome: 'SUSPENDED', reason: 'BAD_CHECK_DIGIT', bankCode };
    case 'MALFORMED':
    case 'NOT_VIRTUAL':
      return { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode };
  }
}

const RETURNED_BY_LOT: readonly string[] = ['AFTER_DEADLINE', 'NOT_BASIC_ACCOUNT', 'LOT_CLOSED'] satisfies ReturnReason[];

/**
 * The outcome of a credit the lot refused, or undefined when the refusal is not a classification
 * outcome (a duplicate bank reference with another body stays an error).
 */
export function outcomeOfLotRefusal(refusal: Rejection, lotId: string, bankCode: string): CreditOutcome | undefined {
  if (RETURNED_BY_LOT.includes(refusal.code)) return { outcome: 'RETURNED', reason: refusal.code as ReturnReason, lotId };
  if (refusal.code === 'AMBIGUOUS_PAYER') return { outcome: 'SUSPENDED', reason: 'AMBIGUOUS_PAYER', bankCode };
  // The registry names a lot that has no stream: the number is as good as unknown.
  if (refusal.code === 'LOT_NOT_FOUND') return { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode };
  return undefined;
}

/** The lot command that puts a received credit into a bond, straight from the ESB or out of suspense. */
export function creditBondCommand(
  received: InboundCreditReceived['data'],
  source: CreditSource,
  issued: VirtualAccountIssuedData,
  payerDeclaredBy: string[],
): CreditBond {
  return {
    type: 'CreditBond',
    creditId: received.creditId,
    bankRef: received.bankRef,
    requestHash: received.requestHash,
    source,
    receivedAt: received.receivedAt,
    valueDate: received.valueDate,
    amount: received.amount,
    payer: received.payer,
    virtualAccount: {
      virtualAccountNo: issued.virtualAccountNo,
      bankCode: issued.bankCode,
      ...(issued.bidderId === undefined ? {} : { bidderId: issued.bidderId }),
    },
    payerDeclaredBy,
  };
}
