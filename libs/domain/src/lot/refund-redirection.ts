import { type Decision, notFound, ruleBroken } from '../decider';
import type { RedirectRefund } from './lot-commands';
import type { LotEvent, Payer } from './lot-events';
import { refundIdFor } from './lot-ids';
import { type RegisteredLot, lotBond, lotRefund } from './lot-state';

/**
 * A refund whose account is closed or frozen fails at every attempt along the original path (原路退回).
 * After such a failure the bank, against the payer's proof documents, may pay the refund to another
 * account of the same payer; the ledger records the operator's redirection with the evidence's reference
 * and the reason, and the bond's next refund instruction pays there (docs/rules.md, item 8).
 */

/**
 * A payer's name as banks compare it: Unicode-compatible forms folded (full-width brackets and letters,
 * as in "某某建设（集团）有限公司"), white space removed.
 */
export function payerNameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '');
}

const samePayerAccount = (a: Payer, b: Payer): boolean => a.accountNo === b.accountNo && a.bankCode === b.bankCode;

/**
 * The operator's redirection of a failed refund. Allowed only on the bond's last refund, when its
 * settlement FAILED (so the bond is refundable again), to an account of the same payer name as the bond's
 * payer and other than the one the refund failed at. A redirection to the account the bond's refunds
 * already go to records nothing; another before the next instruction replaces it.
 */
export function redirectRefund(command: RedirectRefund, state: RegisteredLot): Decision<LotEvent> {
  const refund = lotRefund(state, command.refundId);
  if (!refund) return notFound('REFUND_NOT_FOUND', `no refund ${command.refundId}`, 'refundId');
  const bond = lotBond(state, refund.bondId);
  // A refund was instructed for a bond of the lot.
  if (!bond) throw new RangeError(`redirectRefund: refund ${refund.refundId} of bond ${refund.bondId}, which the lot has not opened`);
  if (refund.status !== 'FAILED') {
    return ruleBroken('REFUND_NOT_FAILED', `refund ${command.refundId} is ${refund.status}: only a failed refund may be redirected`, 'refundId');
  }
  const last = refundIdFor(state.terms.lotId, bond.bondId, bond.refundAttempts);
  if (last !== refund.refundId || bond.status !== 'REFUND_DUE') {
    return ruleBroken('REFUND_SUPERSEDED', `bond ${bond.bondId} has had a later refund than ${command.refundId}`, 'refundId');
  }
  const to: Payer = { accountNo: command.to.accountNo, name: command.to.name ?? bond.payer.name, bankCode: command.to.bankCode };
  if (payerNameKey(to.name) !== payerNameKey(bond.payer.name)) {
    return ruleBroken('NOT_SAME_PAYER', `the account is not in the name of the bond's payer ${bond.payer.name}`, 'accountName');
  }
  if (samePayerAccount(to, refund.payTo)) {
    return ruleBroken('SAME_ACCOUNT', `refund ${command.refundId} failed at this very account`, 'accountNo');
  }
  // Already redirected there (a repeat of the request): nothing new.
  if (bond.refundTo && samePayerAccount(bond.refundTo, to) && bond.refundTo.name === to.name) return [];
  return [
    {
      type: 'RefundRedirected',
      data: {
        lotId: state.terms.lotId,
        refundId: refund.refundId,
        bondId: bond.bondId,
        from: refund.payTo,
        to,
        evidenceRef: command.evidenceRef,
        reason: command.reason,
      },
    },
  ];
}
