import { defined } from '../../test/at';
import { DeciderSpecification } from '../../test/decider-specification';
import { ALICE, BANK, BOB, LOT, registered } from '../../test/lot-fixtures';
import { isRejection, recordedBy, refusalOf, replay } from '../decider';
import type { AttributeBond, AwardLot, CreditBond, LotCommand } from './lot-commands';
import type { LotEvent } from './lot-events';
import { bondIdFor } from './lot-ids';
import { lotDecider } from './lot-decider';
import { lotBond, lotBonds } from './lot-state';

/**
 * Issue #14 item 4 (docs/rules.md): a lot paid through its one lot account, published with the tender
 * notice, knows its bonds by payer, not bidder. It is awarded by naming the winning bond, and its center
 * may attribute a bond to a bidder once the bids are opened (docs/specification.md §1, confidentiality:
 * before opening nobody may learn who paid). Refunds follow the award (Art. 57).
 */
const spec = DeciderSpecification.for(lotDecider);

const LOT_VA = '9558800000000000018';
const NOW = '2026-12-16T10:00:00+08:00';

/** A credit into the lot account, from a payer no bidder declared (basic-account policy OFF). */
function lotAccountCredit(bankRef: string, payer = ALICE, payerDeclaredBy: string[] = []): CreditBond {
  return {
    type: 'CreditBond',
    creditId: `C-${BANK}-${bankRef}`,
    anchorRevision: 0,
    bankRef,
    requestHash: `hash-${bankRef}`,
    source: 'INBOUND',
    receivedAt: '2026-12-01T10:00:00+08:00',
    valueDate: '2026-12-01',
    amount: '50000.00',
    payer,
    virtualAccount: { virtualAccountNo: LOT_VA, bankCode: BANK },
    payerDeclaredBy,
  };
}

/** The events `commands` decide one after the other on `history`; a refusal fails the test. */
function after(history: readonly LotEvent[], ...commands: LotCommand[]): LotEvent[] {
  const events = [...history];
  for (const command of commands) {
    const decision = lotDecider.decide(command, replay(lotDecider, events));
    if (isRejection(decision)) throw new Error(`${command.type} refused: ${decision.code} ${decision.message}`);
    events.push(...decision);
  }
  return events;
}

const opened: LotEvent[] = [
  { type: 'DepositsClosed', data: { lotId: LOT, depositDeadline: '2026-12-10T09:00:00+08:00' } },
  { type: 'BidsOpened', data: { lotId: LOT, bidOpeningTime: '2026-12-10T09:30:00+08:00' } },
];

const lotAccountLot = registered({ basicAccountPolicy: 'OFF' });
/** Alice and Bob paid into the lot account; neither declared a basic account, so neither bond has a bidder. */
const paid = after([lotAccountLot], lotAccountCredit('A001'), lotAccountCredit('B001', BOB));
const aliceBond = bondIdFor(LOT, undefined, ALICE.bankCode, ALICE.accountNo);
const bobBond = bondIdFor(LOT, undefined, BOB.bankCode, BOB.accountNo);
const awardBy = (winner: { winnerBidderId: string } | { winnerBondId: string }): AwardLot => ({
  type: 'AwardLot',
  ...winner,
  contractSignedOn: '2026-12-15',
  now: NOW,
});
const attribute = (bondId: string, bidderId: string): AttributeBond => ({ type: 'AttributeBond', bondId, bidderId });

describe('award by bond (issue #14 item 4)', () => {
  it('given a lot paid through its lot account, an award by bidder finds no bond of the bidder (the reported case)', () => {
    spec.given([...paid, ...opened]).when(awardBy({ winnerBidderId: 'alice' })).thenRejects({ code: 'NO_BOND_FOR_BIDDER', field: 'winnerBidderId' });
  });

  it('awards it by naming the winning bond, recording the bond named; every held bond is then refundable by contract + 5 days (Art. 57)', () => {
    const then = spec.given([...paid, ...opened]).when(awardBy({ winnerBondId: aliceBond }));
    then.then([{ type: 'LotAwarded', data: { lotId: LOT, winnerBondId: aliceBond, contractSignedOn: '2026-12-15', refundsDueBy: '2026-12-20' } }]);
    const state = then.thenState();
    expect(state.award).toEqual({ winnerBondId: aliceBond, contractSignedOn: '2026-12-15', refundsDueBy: '2026-12-20' });
    for (const bondId of [aliceBond, bobBond]) expect(lotBond(state, bondId)).toMatchObject({ status: 'REFUND_DUE', refundDueBy: '2026-12-20' });
  });

  it('refuses a bond the lot does not hold, one of another lot, and one emptied by reversals: 422 NO_SUCH_BOND, field winnerBondId', () => {
    const reversed = after([...paid, ...opened], { type: 'ReverseCredit', creditId: `C-${BANK}-B001`, bankRef: 'B001', reason: 'not settled' });
    for (const [history, bondId] of [
      [[...paid, ...opened], bondIdFor(LOT, undefined, ALICE.bankCode, '6222000099999999')],
      [[...paid, ...opened], bondIdFor('L-OTHER', undefined, ALICE.bankCode, ALICE.accountNo)],
      [reversed, bobBond],
    ] as const) {
      spec.given(history).when(awardBy({ winnerBondId: bondId })).thenRejects({ kind: 'BUSINESS_RULE', code: 'NO_SUCH_BOND', field: 'winnerBondId' });
    }
  });

  it('still refuses an award by bond before the bids are opened', () => {
    spec.given(paid).when(awardBy({ winnerBondId: aliceBond })).thenRejects({ code: 'BIDS_NOT_OPENED' });
  });

  it('folds a version-1 LotAwarded, which always named the bidder', () => {
    const v1: LotEvent = { type: 'LotAwarded', data: { lotId: LOT, winnerBidderId: 'alice', contractSignedOn: '2026-12-15', refundsDueBy: '2026-12-20' } };
    expect(replay(lotDecider, [...paid, ...opened, v1]).award).toEqual({ winnerBidderId: 'alice', contractSignedOn: '2026-12-15', refundsDueBy: '2026-12-20' });
  });
});

describe('bond attribution (issue #14 item 4)', () => {
  it('given opened bids, records the bidder of a bond known by payer; the bond keeps its id', () => {
    const then = spec.given([...paid, ...opened]).when(attribute(aliceBond, 'alice'));
    then.then([{ type: 'BondAttributed', data: { lotId: LOT, bondId: aliceBond, bidderId: 'alice' } }]);
    expect(defined(lotBond(then.thenState(), aliceBond), 'the bond')).toMatchObject({ bondId: aliceBond, bidderId: 'alice', status: 'HELD', principal: '50000.00' });
  });

  it('lets the lot then be awarded by the attributed bidder', () => {
    const attributed = after([...paid, ...opened], attribute(aliceBond, 'alice'));
    const award = spec.given(attributed).when(awardBy({ winnerBidderId: 'alice' })).thenEvent();
    expect(award.data).toEqual({ lotId: LOT, winnerBidderId: 'alice', contractSignedOn: '2026-12-15', refundsDueBy: '2026-12-20' });
  });

  it('before bid opening answers exactly as for a bond that does not exist (confidentiality, specification §1)', () => {
    const sealed = spec.given(paid).when(attribute(aliceBond, 'alice')).thenRejects({ kind: 'NOT_FOUND', code: 'BOND_NOT_FOUND', field: 'bondId' });
    const none = spec.given([lotAccountLot, ...opened]).when(attribute(aliceBond, 'alice')).thenRejects({ code: 'BOND_NOT_FOUND' });
    expect(refusalOf(sealed)).toEqual(none);
    // The ask is recorded (sealed-asks.ts).
    expect(recordedBy(sealed)).toEqual([{ type: 'SealedLotAsked', data: { lotId: LOT, command: 'AttributeBond', bondId: aliceBond, bidderId: 'alice', answeredWith: 'BOND_NOT_FOUND' } }]);
    expect(spec.given([]).when(attribute(aliceBond, 'alice')).thenRejects({ code: 'BOND_NOT_FOUND' })).toEqual(none);
  });

  it('records nothing when the bond is already of that bidder, and refuses another bidder: 409 BOND_ALREADY_ATTRIBUTED', () => {
    const attributed = after([...paid, ...opened], attribute(aliceBond, 'alice'));
    spec.given(attributed).when(attribute(aliceBond, 'alice')).then([]);
    spec.given(attributed).when(attribute(aliceBond, 'mallory')).thenRejects({ kind: 'CONFLICT', code: 'BOND_ALREADY_ATTRIBUTED', field: 'bidderId' });
  });

  it('refuses to re-attribute a bond whose bidder the lot knew from the payment (a declared basic account)', () => {
    const declared = after([lotAccountLot], lotAccountCredit('B002', BOB, ['bob']));
    const bobsBond = bondIdFor(LOT, 'bob', BOB.bankCode, BOB.accountNo);
    spec.given([...declared, ...opened]).when(attribute(bobsBond, 'alice')).thenRejects({ code: 'BOND_ALREADY_ATTRIBUTED' });
  });

  it("puts the payer's later money, once its bidder is known, into the attributed bond: one bond per bidder and payer account", () => {
    const attributed = after([...paid, ...opened], attribute(aliceBond, 'alice'));
    // A suspense match after opening of money received before the deadline, now from Alice's declared account.
    const match: CreditBond = { ...lotAccountCredit('A002'), source: 'SUSPENSE', amount: '100.00', payerDeclaredBy: ['alice'] };
    const credited = spec.given(attributed).when(match).thenEvent();
    expect(credited).toMatchObject({ type: 'BondCredited', data: { bondId: aliceBond, bidderId: 'alice', principalAfter: '50100.00' } });
    expect(lotBonds(replay(lotDecider, [...attributed, credited])).map((bond) => bond.bondId).sort()).toEqual([aliceBond, bobBond].sort());
  });
});
