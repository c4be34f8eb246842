import { type Decision, type Rejection, conflict, ruleBroken } from '../decider';
import { compareDates } from '../interest';
import { bondsOfBidder } from './bond-attribution';
import { businessDateOf, isDateInFuture, isInstantInFuture } from './business-time';
import type { AwardLot, ForfeitBond, RecordSigningRefusal } from './lot-commands';
import type { AwardWinner, ForfeitureGround, LotEvent } from './lot-events';
import { type BondState, type RegisteredLot, lotBond } from './lot-state';
import { refusedWhileSealed } from './sealed-asks';

/**
 * Forfeiture needs its legal ground in the lot's history (docs/rules.md, "Forfeiture"): a withdrawal after
 * the deposit deadline (Art. 35, BidderWithdrew with `beforeDeadline` false) or the winner's refusal to
 * sign the contract (Art. 74, WinnerRefusedToSign). A ground the center names must be the one the bond carries.
 * And the dates a center sends for these facts must have happened: not beyond the ledger's clock.
 */

/** A notice's instant beyond the clock (plus skew): 422 INSTANT_IN_FUTURE on `field`. */
export function instantInFuture(instant: string, now: string, field: string): Rejection | undefined {
  return isInstantInFuture(instant, now) ? ruleBroken('INSTANT_IN_FUTURE', `${field} ${instant} lies in the future`, field) : undefined;
}

/** A business date after today (Asia/Shanghai): 422 DATE_IN_FUTURE on `field`. */
export function dateInFuture(date: string, now: string, field: string): Rejection | undefined {
  return isDateInFuture(date, now) ? ruleBroken('DATE_IN_FUTURE', `${field} ${date} is after today`, field) : undefined;
}

/**
 * A contract is signed between bid opening (its business date) and today (Art. 57 counts from that day);
 * the winner may not be a bidder that refused to sign (Art. 74). Undefined when the award may go ahead.
 */
export function awardDateOrWinnerRefusal(command: AwardLot, state: RegisteredLot): Rejection | undefined {
  const openedOn = businessDateOf(state.terms.bidOpeningTime);
  if (compareDates(command.contractSignedOn, openedOn) < 0) {
    return ruleBroken('CONTRACT_BEFORE_BID_OPENING', `contractSignedOn is before ${openedOn}, the day bids were opened`, 'contractSignedOn');
  }
  const future = dateInFuture(command.contractSignedOn, command.now, 'contractSignedOn');
  if (future) return future;
  const refuser = bidderOfWinner(command, state);
  if (refuser !== undefined && state.signingRefusals[refuser]) {
    const field = command.winnerBondId === undefined ? 'winnerBidderId' : 'winnerBondId';
    return ruleBroken('WINNER_REFUSED_TO_SIGN', `bidder ${refuser} refused to sign the contract (Art. 74)`, field);
  }
  return undefined;
}

function bidderOfWinner(winner: AwardWinner, state: RegisteredLot): string | undefined {
  return winner.winnerBondId === undefined ? winner.winnerBidderId : lotBond(state, winner.winnerBondId)?.bidderId;
}

/**
 * Art. 74: the winner refuses to sign. Recorded after bid opening and before any award or termination,
 * dated between the opening's day and today, once per bidder; the bidder's held bonds become forfeitable.
 */
export function recordSigningRefusal(command: RecordSigningRefusal, state: RegisteredLot): Decision<LotEvent> {
  const terms = state.terms;
  if (state.termination || state.award) return ruleBroken('LOT_CLOSED', 'the lot is already awarded or terminated');
  if (!state.bidsOpened) {
    const refusal = ruleBroken('BIDS_NOT_OPENED', 'a winner can refuse to sign only after the bids are opened');
    return refusedWhileSealed(state, 'RecordSigningRefusal', { bidderId: command.bidderId }, refusal);
  }
  const openedOn = businessDateOf(terms.bidOpeningTime);
  if (compareDates(command.refusedOn, openedOn) < 0) {
    return ruleBroken('REFUSAL_BEFORE_BID_OPENING', `refusedOn is before ${openedOn}, the day bids were opened`, 'refusedOn');
  }
  const future = dateInFuture(command.refusedOn, command.now, 'refusedOn');
  if (future) return future;
  if (state.signingRefusals[command.bidderId]) {
    return conflict('ALREADY_REFUSED_TO_SIGN', `bidder ${command.bidderId} has already refused to sign`, 'bidderId');
  }
  const bonds = bondsOfBidder(state, command.bidderId).filter((bond) => bond.status === 'HELD');
  if (bonds.length === 0) return ruleBroken('NO_BOND_FOR_BIDDER', `bidder ${command.bidderId} holds no bond on this lot`, 'bidderId');
  return [
    {
      type: 'WinnerRefusedToSign',
      data: { lotId: terms.lotId, bidderId: command.bidderId, refusedOn: command.refusedOn, reason: command.reason, bondIds: bonds.map((bond) => bond.bondId) },
    },
  ];
}

const GROUND_ARTICLE: { readonly [ground in ForfeitureGround]: string } = {
  WITHDRAWN_AFTER_DEADLINE: 'a withdrawal after the deposit deadline (Art. 35)',
  REFUSED_TO_SIGN: "the winner's refusal to sign the contract (Art. 74)",
};

/**
 * The ground `bond` is forfeited on: the one its history records, which a `ground` the center names must be
 * (the contract's body is `{reason}` only, so a request without one takes the recorded ground); or why not.
 */
export function forfeitureGround(command: ForfeitBond, bond: BondState): ForfeitureGround | Rejection {
  const recorded = bond.forfeitable ? bond.forfeitureGround : undefined;
  if (recorded === undefined) {
    return ruleBroken('FORFEITURE_NOT_ALLOWED', 'the lot records no ground to forfeit this bond (Art. 35: withdrawn after the deadline; Art. 74: refused to sign)', 'bondId');
  }
  if (bond.status === 'REFUND_PENDING' || bond.status === 'REFUNDED' || bond.status === 'FORFEITED') {
    return ruleBroken('FORFEITURE_NOT_ALLOWED', `the bond is already ${bond.status}`, 'bondId');
  }
  if (command.ground !== undefined && command.ground !== recorded) {
    return ruleBroken('FORFEITURE_GROUND_NOT_RECORDED', `the lot records ${GROUND_ARTICLE[recorded]} for this bond, not ${GROUND_ARTICLE[command.ground]}`, 'ground');
  }
  return recorded;
}
