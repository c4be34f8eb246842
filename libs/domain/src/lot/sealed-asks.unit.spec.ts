import { DeciderSpecification } from '../../test/decider-specification';
import { ALICE, LOT, creditBond, registered } from '../../test/lot-fixtures';
import { isRejection, recordedBy, refusalOf, replay } from '../decider';
import { PBOC_DEMAND_SCHEDULE } from '../interest';
import type { LotCommand } from './lot-commands';
import type { LotEvent } from './lot-events';
import { bondIdFor } from './lot-ids';
import { lotDecider } from './lot-decider';
import { refundRunAnswer, withdrawalAnswer } from './sealed-asks';

/**
 * Art. 22 of the Bidding Law (docs/specification.md §1 保密): before the bids are opened, no answer tells the
 * lot's own center who paid, how many or how much. Its commands that name a bond or a bidder are answered
 * alike in a lot nobody paid into and in one Alice paid into, and the ask is recorded (`SealedLotAsked`).
 */
const spec = DeciderSpecification.for(lotDecider);

const aliceBond = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);
const NOW = '2026-12-05T10:00:00+08:00';
const alicePays = creditBond();

function decided(history: readonly LotEvent[], command: LotCommand): LotEvent[] {
  const decision = lotDecider.decide(command, replay(lotDecider, history));
  if (isRejection(decision)) throw new Error(`${command.type} refused: ${decision.code}`);
  return [...decision];
}

const unpaid: LotEvent[] = [registered()];
const paid: LotEvent[] = [registered(), ...decided([registered()], alicePays)];
const lateWithdrawal = (history: LotEvent[]) => decided(history, { type: 'WithdrawBidder', bidderId: 'alice', noticeReceivedAt: '2026-12-10T09:10:00+08:00', now: '2026-12-10T09:10:00+08:00' });

/** The refusal both worlds get, checking each records the ask. */
function refusedAlike(command: LotCommand, worlds: LotEvent[][], asked: object) {
  const refusals = worlds.map((history) => spec.given(history).when(command).thenRejects({}));
  for (const refusal of refusals) expect(recordedBy(refusal)).toEqual([{ type: 'SealedLotAsked', data: { lotId: LOT, ...asked, answeredWith: refusal.code } }]);
  const [first, ...others] = refusals.map(refusalOf);
  for (const other of others) expect(other).toEqual(first);
  return first;
}

describe('a center asking about its sealed lot (Art. 22; sealed-asks.ts)', () => {
  it('given Alice paid or nobody did, when the center forfeits her bond (even on a recorded ground), then both are refused alike and recorded', () => {
    const refusal = refusedAlike({ type: 'ForfeitBond', bondId: aliceBond, reason: 'kept' }, [unpaid, paid, [...paid, ...lateWithdrawal(paid)]], { command: 'ForfeitBond', bondId: aliceBond });
    expect(refusal).toMatchObject({ kind: 'BUSINESS_RULE', code: 'FORFEITURE_NOT_ALLOWED', field: 'bondId' });
  });

  it('given Alice paid or nobody did, when the center awards her, attributes her bond or records her refusal to sign, then each is refused alike and recorded', () => {
    expect(refusedAlike({ type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-05', now: NOW }, [unpaid, paid], { command: 'AwardLot', bidderId: 'alice' })).toMatchObject({ code: 'BIDS_NOT_OPENED' });
    expect(refusedAlike({ type: 'AwardLot', winnerBondId: aliceBond, contractSignedOn: '2026-12-05', now: NOW }, [unpaid, paid], { command: 'AwardLot', bondId: aliceBond })).toMatchObject({ code: 'BIDS_NOT_OPENED' });
    expect(refusedAlike({ type: 'AttributeBond', bondId: aliceBond, bidderId: 'alice' }, [unpaid, paid], { command: 'AttributeBond', bondId: aliceBond, bidderId: 'alice' })).toMatchObject({ kind: 'NOT_FOUND', code: 'BOND_NOT_FOUND' });
    const refusal = { type: 'RecordSigningRefusal' as const, bidderId: 'alice', refusedOn: '2026-12-05', reason: 'x', now: NOW };
    expect(refusedAlike(refusal, [unpaid, paid], { command: 'RecordSigningRefusal', bidderId: 'alice' })).toMatchObject({ code: 'BIDS_NOT_OPENED' });
  });

  it('given Alice paid or nobody did, when the center records her withdrawal, then both are recorded and answered alike, without the bonds (Art. 35)', () => {
    const withdraw = { type: 'WithdrawBidder' as const, bidderId: 'alice', noticeReceivedAt: NOW, now: NOW };
    const [inPaid] = spec.given(paid).when(withdraw).thenEvents();
    spec.given(unpaid).when(withdraw).then([{ type: 'BidderWithdrew', data: { lotId: LOT, bidderId: 'alice', noticeReceivedAt: NOW, beforeDeadline: true, refundDueBy: '2026-12-10', bondIds: [] } }]);
    expect(inPaid).toMatchObject({ type: 'BidderWithdrew', data: { bondIds: [aliceBond] } });
    const answers = [paid, unpaid].map((history) => {
      const events = spec.given(history).when(withdraw).thenEvents();
      return withdrawalAnswer(events, replay(lotDecider, [...history, ...events]));
    });
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).not.toHaveProperty('bondIds');
  });

  it('given a bidder recorded withdrawn before it paid, when its money arrives, then the lot returns it (Art. 35: no bid, nothing to secure)', () => {
    const withdraw = { type: 'WithdrawBidder' as const, bidderId: 'alice', noticeReceivedAt: '2026-11-30T10:00:00+08:00', now: '2026-11-30T10:00:00+08:00' };
    const history = [...unpaid, ...decided(unpaid, withdraw)];
    spec.given(history).when(alicePays).then([
      {
        type: 'CreditRefused',
        data: { lotId: LOT, creditId: alicePays.creditId, bankRef: alicePays.bankRef, source: 'INBOUND', anchorRevision: 0, reason: 'LOT_CLOSED', amount: alicePays.amount },
      },
    ]);
  });

  it('given a withdrawal before the deadline, when the center runs refunds, then the run that paid Alice and the one that paid nobody answer alike', () => {
    const withdraw = { type: 'WithdrawBidder' as const, bidderId: 'alice', noticeReceivedAt: NOW, now: NOW };
    const run = { type: 'RefundBonds' as const, refundOn: '2026-12-05', schedule: PBOC_DEMAND_SCHEDULE, now: NOW };
    const answers = [paid, unpaid].map((before) => {
      const history = [...before, ...decided(before, withdraw)];
      const events = spec.given(history).when(run).thenEvents();
      return { types: events.map((event) => event.type), answer: refundRunAnswer(events, replay(lotDecider, [...history, ...events]), { lotId: LOT, refundOn: run.refundOn, notInstructed: () => [] }) };
    });
    // Something is recorded either way, so both are 201: Alice's refund, or the ask.
    expect(answers.map((answer) => answer.types)).toEqual([['RefundInstructed'], ['SealedLotAsked']]);
    expect(answers[0]!.answer).toEqual({ lotId: LOT, refundOn: '2026-12-05', sealed: true });
    expect(answers[1]!.answer).toEqual(answers[0]!.answer);
  });

  it('given the bids opened, when the center asks the same, then it is answered on the facts (nothing sealed, nothing recorded as an ask)', () => {
    const opened: LotEvent[] = [
      { type: 'DepositsClosed', data: { lotId: LOT, depositDeadline: '2026-12-10T09:00:00+08:00' } },
      { type: 'BidsOpened', data: { lotId: LOT, bidOpeningTime: '2026-12-10T09:30:00+08:00' } },
    ];
    const forfeit = { type: 'ForfeitBond' as const, bondId: aliceBond, reason: 'kept' };
    expect(recordedBy(spec.given([...unpaid, ...opened]).when(forfeit).thenRejects({ code: 'BOND_NOT_FOUND' }))).toEqual([]);
    spec.given([...paid, ...opened]).when(forfeit).thenRejects({ code: 'FORFEITURE_NOT_ALLOWED' });
    const withdraw = { type: 'WithdrawBidder' as const, bidderId: 'alice', noticeReceivedAt: '2026-12-10T10:00:00+08:00', now: '2026-12-10T10:00:00+08:00' };
    spec.given([...unpaid, ...opened]).when(withdraw).thenRejects({ code: 'NO_BOND_FOR_BIDDER' });
  });
});
