import { ALICE } from '../../test/lot-fixtures';
import { type BondEvent, type BondFacts, type BondStatus, bondChange, isOwed, nextBondStatus, openedBond, owedAfter } from './bond';
import type { BondCredited } from './lot-events';
import { type LotProgress, lotStatus } from './lot-status';

const BOND_AMOUNT = '50000.00';

function credited(overrides: Partial<BondCredited['data']> = {}): BondEvent & { type: 'BondCredited' } {
  return {
    type: 'BondCredited',
    data: {
      lotId: 'L1',
      bondId: 'B1',
      creditId: 'C1',
      bankRef: 'R1',
      requestHash: 'h1',
      source: 'INBOUND',
      bidderId: 'alice',
      payer: ALICE,
      virtualAccountNo: '9558800000000000018',
      bankCode: '102100099996',
      amount: '30000.00',
      valueDate: '2026-12-01',
      receivedAt: '2026-12-01T10:00:00+08:00',
      principalAfter: '30000.00',
      flags: ['AMOUNT_BELOW_BOND'],
      anchorRevision: 0,
      postings: [],
      ...overrides,
    },
  };
}

const STATUSES: readonly BondStatus[] = ['HELD', 'REFUND_DUE', 'REFUND_PENDING', 'REFUNDED', 'FORFEITED'];

/** One event of every bond event type (both kinds of withdrawal). */
const EVENTS: readonly BondEvent[] = [
  credited(),
  credited({ refundDueBy: '2026-12-25' }),
  { type: 'CreditReversed', data: { lotId: 'L1', bondId: 'B1', creditId: 'C1', bankRef: 'R1', reason: 'x', amount: '30000.00', principalAfter: '0.00', postings: [] } },
  { type: 'SuspenseMatchVoided', data: { lotId: 'L1', bondId: 'B1', creditId: 'C1', amount: '30000.00', principalAfter: '0.00', postings: [] } },
  { type: 'BidderWithdrew', data: { lotId: 'L1', bidderId: 'alice', noticeReceivedAt: '2026-12-05T10:00:00+08:00', beforeDeadline: true, refundDueBy: '2026-12-10', bondIds: ['B1'] } },
  { type: 'BidderWithdrew', data: { lotId: 'L1', bidderId: 'alice', noticeReceivedAt: '2026-12-10T10:00:00+08:00', beforeDeadline: false, bondIds: ['B1'] } },
  { type: 'LotAwarded', data: { lotId: 'L1', winnerBidderId: 'bob', contractSignedOn: '2026-12-20', refundsDueBy: '2026-12-25' } },
  { type: 'TenderTerminated', data: { lotId: 'L1', reason: 'x', terminatedAt: '2026-12-12T10:00:00+08:00', refundsDueBy: '2026-12-12' } },
  { type: 'BondForfeited', data: { lotId: 'L1', bondId: 'B1', centerId: 'C', reason: 'x', amount: '30000.00', postings: [] } },
  { type: 'RefundSettled', data: { lotId: 'L1', refundId: 'F1', bondId: 'B1', bankRef: 'R' } },
  { type: 'RefundFailed', data: { lotId: 'L1', refundId: 'F1', bondId: 'B1', bankRef: 'R', reason: 'x', postings: [] } },
];

describe('a bond', () => {
  it('is opened HELD by its first credit, or REFUND_DUE when the credit arrives after the award (Art. 57)', () => {
    expect(openedBond(credited().data, BOND_AMOUNT)).toEqual({
      bondId: 'B1',
      bidderId: 'alice',
      payer: ALICE,
      principal: '30000.00',
      tranches: [{ creditId: 'C1', amount: '30000.00', valueDate: '2026-12-01', virtualAccountNo: '9558800000000000018', bankCode: '102100099996' }],
      status: 'HELD',
      flags: ['AMOUNT_BELOW_BOND'],
      forfeitable: false,
    });
    expect(openedBond(credited({ refundDueBy: '2026-12-25' }).data, BOND_AMOUNT)).toMatchObject({ status: 'REFUND_DUE', refundDueBy: '2026-12-25' });
  });

  it('keeps NOT_BASIC_ACCOUNT once any credit had it; its amount flag follows the principal, also down on a reversal', () => {
    const opened = openedBond(credited({ flags: ['NOT_BASIC_ACCOUNT', 'AMOUNT_BELOW_BOND'] }).data, BOND_AMOUNT);
    const second = credited({ creditId: 'C2', amount: '30000.00', principalAfter: '60000.00', flags: [] });
    const bond: BondFacts = { ...opened, ...bondChange(opened, second, BOND_AMOUNT) };
    expect(bond).toMatchObject({ principal: '60000.00', flags: ['NOT_BASIC_ACCOUNT', 'AMOUNT_ABOVE_BOND'] });
    expect(bond.tranches.map((tranche) => tranche.creditId)).toEqual(['C1', 'C2']);
    const reversed = bondChange(bond, { type: 'CreditReversed', data: { lotId: 'L1', bondId: 'B1', creditId: 'C1', bankRef: 'R1', reason: 'x', amount: '30000.00', principalAfter: '30000.00', postings: [] } }, BOND_AMOUNT);
    expect(reversed).toEqual({ principal: '30000.00', tranches: [bond.tranches[1]], flags: ['NOT_BASIC_ACCOUNT', 'AMOUNT_BELOW_BOND'] });
  });

  it('becomes refundable on an award only while HELD, keeping an earlier due date (a withdrawal before the deadline)', () => {
    const award = EVENTS.find((event) => event.type === 'LotAwarded')!;
    const held = openedBond(credited().data, BOND_AMOUNT);
    // Refundable from the contract's day: no refund may be dated before it.
    expect(bondChange(held, award, BOND_AMOUNT)).toEqual({ status: 'REFUND_DUE', refundDueBy: '2026-12-25', refundableSince: '2026-12-20' });
    expect(bondChange({ ...held, status: 'REFUND_DUE', refundDueBy: '2026-12-10' }, award, BOND_AMOUNT)).toBeUndefined();
    expect(bondChange({ ...held, status: 'FORFEITED' }, award, BOND_AMOUNT)).toBeUndefined();
  });

  it('is forfeitable, not refundable, when its bidder withdraws after the deadline (Art. 35)', () => {
    const held = openedBond(credited().data, BOND_AMOUNT);
    const [before, after] = EVENTS.filter((event) => event.type === 'BidderWithdrew');
    expect(bondChange(held, before!, BOND_AMOUNT)).toEqual({ status: 'REFUND_DUE', refundDueBy: '2026-12-10', refundableSince: '2026-12-05' });
    expect(bondChange(held, after!, BOND_AMOUNT)).toEqual({ forfeitable: true, forfeitureGround: 'WITHDRAWN_AFTER_DEADLINE' });
  });

  it('is owed until refunded or forfeited; a failed refund makes it owed again', () => {
    expect(STATUSES.filter(isOwed)).toEqual(['HELD', 'REFUND_DUE', 'REFUND_PENDING']);
    expect(nextBondStatus('REFUND_PENDING', EVENTS.find((event) => event.type === 'RefundFailed')!)).toBe('REFUND_DUE');
  });

  it('is owed after any event by whether it was owed before, whatever its status: owedAfter needs no status', () => {
    for (const status of STATUSES) {
      for (const event of EVENTS) {
        expect({ status, event: event.type, owed: owedAfter(isOwed(status), event) }).toEqual({ status, event: event.type, owed: isOwed(nextBondStatus(status, event)) });
      }
    }
    expect(owedAfter(undefined, credited())).toBe(true);
  });
});

describe('a lot status', () => {
  const open: LotProgress = { depositsClosed: false, bidsOpened: false, awarded: false, terminated: false, refundsStarted: false, owedBondCount: 2 };

  it('runs OPEN, DEPOSITS_CLOSED, BIDS_OPENED, AWARDED, REFUNDING, SETTLED', () => {
    expect(lotStatus(open)).toBe('OPEN');
    expect(lotStatus({ ...open, depositsClosed: true })).toBe('DEPOSITS_CLOSED');
    expect(lotStatus({ ...open, depositsClosed: true, bidsOpened: true })).toBe('BIDS_OPENED');
    expect(lotStatus({ ...open, bidsOpened: true, awarded: true })).toBe('AWARDED');
    expect(lotStatus({ ...open, bidsOpened: true, awarded: true, refundsStarted: true })).toBe('REFUNDING');
    expect(lotStatus({ ...open, bidsOpened: true, awarded: true, refundsStarted: true, owedBondCount: 0 })).toBe('SETTLED');
  });

  it('is TERMINATED from any stage before the award, and stays so when nobody paid', () => {
    expect(lotStatus({ ...open, terminated: true, owedBondCount: 0 })).toBe('TERMINATED');
    expect(lotStatus({ ...open, depositsClosed: true, bidsOpened: true, terminated: true })).toBe('TERMINATED');
    expect(lotStatus({ ...open, terminated: true, refundsStarted: true })).toBe('REFUNDING');
  });
});
