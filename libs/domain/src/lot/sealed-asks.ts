import { type RecordedRejection, type Rejection, refusalOf } from '../decider';
import type { BidderWithdrew, LotEvent, RefundInstructed, SealedLotAsked } from './lot-events';
import type { RefundNotInstructed } from './refund-rules';
import type { RegisteredLot } from './lot-state';
import { sealedDataAccess } from './seal';

/**
 * The seal (seal.ts) on a center's commands: while it holds, a command that names a bond or a bidder is
 * answered alike whether anyone paid or not, and the ask is recorded; an answer leaves the lot's money out.
 */

/** The lot's money is withheld from its center now. */
export const sealedForCenter = (state: { readonly bidsOpened: boolean }): boolean => sealedDataAccess('center', state) === 'WITHHELD';

type Named = { readonly bondId?: string; readonly bidderId?: string };

function asked(state: RegisteredLot, command: string, named: Named, answeredWith: string): SealedLotAsked {
  return {
    type: 'SealedLotAsked',
    data: {
      lotId: state.terms.lotId,
      command,
      ...(named.bondId === undefined ? {} : { bondId: named.bondId }),
      ...(named.bidderId === undefined ? {} : { bidderId: named.bidderId }),
      answeredWith,
    },
  };
}

/** `refusal`, the same for every bond and bidder while sealed, with the ask recorded. */
export function refusedWhileSealed(state: RegisteredLot, command: string, named: Named, refusal: Rejection): RecordedRejection<LotEvent> {
  return { ...refusalOf(refusal), recorded: [asked(state, command, named, refusal.code)] };
}

/** A refund run while sealed that instructed nothing is recorded as an ask, so its answer (201) is the one a run that paid gets. */
export function refundRunWhileSealed(state: RegisteredLot): LotEvent[] {
  return [asked(state, 'RefundBonds', {}, 'WITHHELD')];
}

/** POST /v1/lots/{lotId}/withdrawals: the withdrawal the command recorded; which bonds it covers only once the center may see them. */
export function withdrawalAnswer(recorded: readonly LotEvent[], state: { readonly bidsOpened: boolean }): Omit<BidderWithdrew['data'], 'bondIds'> & { bondIds?: string[] } {
  const withdrawal = recorded.find((event): event is BidderWithdrew => event.type === 'BidderWithdrew');
  if (!withdrawal) throw new RangeError('withdrawalAnswer: the command recorded no withdrawal');
  if (!sealedForCenter(state)) return withdrawal.data;
  const { bondIds: _withheld, ...answer } = withdrawal.data;
  return answer;
}

/** A refund run's answer to the center: each refund and each bond not refunded, or (sealed) only that the run was made. */
export type RefundRunAnswer =
  | { readonly refunds: RefundInstructed['data'][]; readonly notRefunded: readonly RefundNotInstructed[] }
  | { readonly lotId: string; readonly refundOn: string; readonly sealed: true };

export function refundRunAnswer(
  recorded: readonly LotEvent[],
  state: { readonly bidsOpened: boolean },
  run: { readonly lotId: string; readonly refundOn: string; readonly notInstructed: () => readonly RefundNotInstructed[] },
): RefundRunAnswer {
  if (sealedForCenter(state)) return { lotId: run.lotId, refundOn: run.refundOn, sealed: true };
  return {
    refunds: recorded.flatMap((event) => (event.type === 'RefundInstructed' ? [event.data] : [])),
    notRefunded: [...run.notInstructed()],
  };
}

/** The refunds a run answered, or undefined when the seal withheld them. */
export function refundsAnswered(answer: RefundRunAnswer): readonly RefundInstructed['data'][] | undefined {
  return 'refunds' in answer ? answer.refunds : undefined;
}
