import { type Decision, type Rejection, conflict, notFound, ruleBroken } from '../decider';
import { ZERO_FEN, fenOf } from '../money';
import type { AttributeBond, AwardLot } from './lot-commands';
import type { AwardWinner, LotEvent, Payer } from './lot-events';
import { bondIdFor } from './lot-ids';
import { type BondState, type LotState, type RegisteredLot, lotBond, lotBonds } from './lot-state';
import { refusedWhileSealed, sealedForCenter } from './sealed-asks';

/**
 * Bonds known by payer, not bidder: the simple case of one virtual account per lot, published with the
 * tender notice, where a credit from an account no bidder declared opens a bond without a bidder. Such a
 * lot is awarded by naming the winning bond, and its center may attribute a bond to a bidder once the
 * bids are opened (Art. 22: until then who paid is secret, and nobody may ask about a bond).
 */

/** A bond with money in it: what an award may name. */
const holdsMoney = (bond: BondState): boolean => fenOf(bond.principal) > ZERO_FEN;

/** The bidder's bonds with money in them. */
export function bondsOfBidder(state: LotState, bidderId: string): BondState[] {
  return lotBonds(state).filter((bond) => bond.bidderId === bidderId && holdsMoney(bond));
}

/** The winner an award names, and nothing else of the command. */
export function winnerOf(award: AwardWinner): AwardWinner {
  return award.winnerBondId === undefined ? { winnerBidderId: award.winnerBidderId } : { winnerBondId: award.winnerBondId };
}

/** Why an award cannot name this winner, or undefined when it can: a bidder holding a bond, or a bond with money in it. */
export function awardWinnerRefusal(command: AwardLot, state: RegisteredLot): Rejection | undefined {
  if (command.winnerBondId !== undefined) {
    const bond = lotBond(state, command.winnerBondId);
    return bond && holdsMoney(bond) ? undefined : ruleBroken('NO_SUCH_BOND', `no bond ${command.winnerBondId} with money on this lot`, 'winnerBondId');
  }
  return bondsOfBidder(state, command.winnerBidderId).length > 0
    ? undefined
    : ruleBroken('NO_BOND_FOR_BIDDER', `bidder ${command.winnerBidderId} holds no bond on this lot`, 'winnerBidderId');
}

/**
 * The bond a credit goes into: its bidder's and payer's (`bondIdFor`), or — when that bond does not exist
 * — the payer's bond the center attributed to that bidder, which kept the id it was opened under (without
 * a bidder). One bond per lot, bidder and payer account either way.
 */
export function bondIdOfCredit(state: RegisteredLot, bidderId: string | undefined, payer: Payer): string {
  const lotId = state.terms.lotId;
  const bondId = bondIdFor(lotId, bidderId, payer.bankCode, payer.accountNo);
  if (bidderId === undefined || lotBond(state, bondId)) return bondId;
  const attributed = bondIdFor(lotId, undefined, payer.bankCode, payer.accountNo);
  return lotBond(state, attributed)?.bidderId === bidderId ? attributed : bondId;
}

/**
 * A center names a bond's bidder. Before bid opening the bond is answered exactly as no bond (404
 * BOND_NOT_FOUND), and the ask recorded, so the route tells nothing of who paid (Art. 22). A bond already of another bidder is
 * a conflict; naming its own bidder again records nothing.
 */
export function attributeBond(command: AttributeBond, state: RegisteredLot): Decision<LotEvent> {
  const noBond = notFound('BOND_NOT_FOUND', `no bond ${command.bondId}`, 'bondId');
  if (sealedForCenter(state)) return refusedWhileSealed(state, 'AttributeBond', { bondId: command.bondId, bidderId: command.bidderId }, noBond);
  const bond = lotBond(state, command.bondId);
  if (!bond) return noBond;
  if (bond.bidderId === command.bidderId) return [];
  if (bond.bidderId !== undefined) {
    return conflict('BOND_ALREADY_ATTRIBUTED', `bond ${command.bondId} is already attributed to another bidder`, 'bidderId');
  }
  return [{ type: 'BondAttributed', data: { lotId: state.terms.lotId, bondId: bond.bondId, bidderId: command.bidderId } }];
}
