import { DeciderSpecification } from '../../test/decider-specification';
import { ALICE, BANK, LOT, registered } from '../../test/lot-fixtures';
import { replay } from '../decider';
import type { RecordTimePassed } from './lot-commands';
import type { LotEvent, RefundInstructed, RefundOverdue } from './lot-events';
import { bondIdFor, refundIdFor } from './lot-ids';
import { TIME_PASSED_RESTS_ON, lotDecider, nextTimeDueMs } from './lot-decider';
import { lotAwaitsTime, refundOverdueFrom } from './refund-overdue';

/**
 * Art. 57 of the 招标投标法实施条例: bid bonds are refunded within 5 days of the contract's signing
 * (Art. 35: of a withdrawal notice). A refund still owed when its last day ends becomes an event the
 * lot clock records: RefundOverdue.
 */
const spec = DeciderSpecification.for(lotDecider);

const VA = '9558800000000000018';
const aliceBond = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);
const refundId = refundIdFor(LOT, aliceBond, 1);
const at = (now: string): RecordTimePassed => ({ type: 'RecordTimePassed', now });

const credited: LotEvent = {
  type: 'BondCredited',
  data: {
    lotId: LOT,
    bondId: aliceBond,
    creditId: 'C-HVPS001',
    bankRef: 'HVPS001',
    requestHash: 'hash-1',
    source: 'INBOUND',
    bidderId: 'alice',
    payer: ALICE,
    virtualAccountNo: VA,
    bankCode: BANK,
    amount: '50000.00',
    valueDate: '2026-12-01',
    receivedAt: '2026-12-01T10:00:00+08:00',
    principalAfter: '50000.00',
    flags: [],
    anchorRevision: 0,
    postings: [
      { account: `clearing:${BANK}`, side: 'DEBIT', amount: '50000.00' },
      { account: `virtual:${VA}`, side: 'CREDIT', amount: '50000.00' },
    ],
  },
};
const depositsClosed: LotEvent = { type: 'DepositsClosed', data: { lotId: LOT, depositDeadline: '2026-12-10T09:00:00+08:00' } };
const opened: LotEvent[] = [depositsClosed, { type: 'BidsOpened', data: { lotId: LOT, bidOpeningTime: '2026-12-10T09:30:00+08:00' } }];
/** Contract signed 20 December: refunds due by the 25th; overdue from 26 December 00:00 Beijing time. */
const awarded: LotEvent = { type: 'LotAwarded', data: { lotId: LOT, winnerBidderId: 'alice', contractSignedOn: '2026-12-20', refundsDueBy: '2026-12-25' } };
const instructed: RefundInstructed = {
  type: 'RefundInstructed',
  data: {
    lotId: LOT,
    refundId,
    bondId: aliceBond,
    bidderId: 'alice',
    payTo: ALICE,
    principal: '50000.00',
    interest: '8.75',
    total: '50008.75',
    refundOn: '2026-12-19',
    dueBy: '2026-12-25',
    late: false,
    attempt: 1,
    dayCount: 'ACT/360',
    rates: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }],
    postings: [
      { account: `virtual:${VA}`, side: 'DEBIT', amount: '50000.00' },
      { account: `interest-expense:${BANK}`, side: 'DEBIT', amount: '8.75' },
      { account: `clearing:${BANK}`, side: 'CREDIT', amount: '50008.75' },
    ],
  },
};
const failed: LotEvent = {
  type: 'RefundFailed',
  data: { lotId: LOT, refundId, bondId: aliceBond, bankRef: 'OUT-1', reason: 'account frozen', postings: [] },
};
const settled: LotEvent = { type: 'RefundSettled', data: { lotId: LOT, refundId, bondId: aliceBond, bankRef: 'OUT-1' } };

const LIMIT = '2026-12-26T00:00:00+08:00';
const awardedLot = [registered(), credited, ...opened, awarded];

function overdue(overrides: Partial<RefundOverdue['data']> = {}): RefundOverdue {
  return {
    type: 'RefundOverdue',
    data: { lotId: LOT, bondId: aliceBond, principal: '50000.00', refundDueBy: '2026-12-25', observedAt: LIMIT, instructionPending: false, bidderId: 'alice', ...overrides },
  };
}

describe('refund overdue (Art. 57: within 5 days of the contract)', () => {
  it('is overdue from 00:00 Beijing time the day after the due date', () => {
    expect(refundOverdueFrom('2026-12-25')).toBe('2026-12-25T16:00:00.000Z');
  });

  it('records nothing while the due day lasts', () => {
    spec.given(awardedLot).when(at('2026-12-25T23:59:59+08:00')).then([]);
  });

  it('records RefundOverdue for a refund due and not instructed once its limit has passed', () => {
    spec.given(awardedLot).when(at(LIMIT)).then([overdue()]);
  });

  it('counts an instruction out and unreported as still owed, and names it', () => {
    spec.given([...awardedLot, instructed]).when(at('2026-12-27T08:00:00+08:00')).then([
      overdue({ observedAt: '2026-12-27T08:00:00+08:00', instructionPending: true, refundId }),
    ]);
  });

  it('records it once per bond and due date: asked again, nothing new', () => {
    spec.given([...awardedLot, overdue()]).when(at('2026-12-30T00:00:00+08:00')).then([]);
  });

  it('records nothing for a refund settled in time', () => {
    spec.given([...awardedLot, instructed, settled]).when(at(LIMIT)).then([]);
  });

  it('a refund that fails again after its limit records no second RefundOverdue (the bond stays overdue)', () => {
    spec.given([...awardedLot, overdue(), instructed, failed]).when(at('2027-01-05T00:00:00+08:00')).then([]);
  });

  it('a settlement after the limit is still taken', () => {
    const settle = { type: 'SettleRefund', refundId, status: 'SETTLED', bankRef: 'OUT-1', now: '2026-12-28T10:00:00+08:00' } as const;
    spec.given([...awardedLot, instructed, overdue({ instructionPending: true, refundId })]).when(settle).then([settled]);
  });

  it('a withdrawal before the deadline is due 5 days after its notice (Art. 35), before the opening: recorded with the deadline', () => {
    const withdrew: LotEvent = {
      type: 'BidderWithdrew',
      data: { lotId: LOT, bidderId: 'alice', noticeReceivedAt: '2026-12-01T15:00:00+08:00', beforeDeadline: true, refundDueBy: '2026-12-06', bondIds: [aliceBond] },
    };
    spec.given([registered(), credited, withdrew]).when(at('2026-12-10T09:00:00+08:00')).then([
      depositsClosed,
      overdue({ refundDueBy: '2026-12-06', observedAt: '2026-12-10T09:00:00+08:00' }),
    ]);
  });

  it('the lot clock follows what the decision rests on: the terms, what it records, every bond event', () => {
    for (const type of ['LotRegistered', 'DepositsClosed', 'BidsOpened', 'RefundOverdue', 'BondCredited', 'LotAwarded', 'RefundFailed', 'RefundSettled']) {
      expect(TIME_PASSED_RESTS_ON).toContain(type);
    }
    expect(TIME_PASSED_RESTS_ON).not.toContain('CreditRefused');
  });

  it('says when time next records something, and whether the lot still needs the clock', () => {
    const lot = (events: LotEvent[]) => replay(lotDecider, events);
    expect(nextTimeDueMs(lot([registered(), credited]))).toBe(Date.parse('2026-12-10T09:00:00+08:00'));
    expect(nextTimeDueMs(lot(awardedLot))).toBe(Date.parse(LIMIT));
    expect(nextTimeDueMs(lot([...awardedLot, overdue()]))).toBeUndefined();
    // Owed and overdue: still followed until it is paid; paid: it leaves.
    expect(lotAwaitsTime(lot([...awardedLot, overdue()]))).toBe(true);
    expect(lotAwaitsTime(lot([...awardedLot, instructed, settled]))).toBe(false);
    // Opened with a bond held (no award yet): an award will set its due date.
    expect(lotAwaitsTime(lot([registered(), credited, ...opened]))).toBe(true);
    expect(lotAwaitsTime(lot([registered(), ...opened]))).toBe(false);
  });
});
