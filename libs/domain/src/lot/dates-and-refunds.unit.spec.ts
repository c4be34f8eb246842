import { at } from '../../test/at';
import { DeciderSpecification } from '../../test/decider-specification';
import { ALICE, BANK, BOB, LOT, registered } from '../../test/lot-fixtures';
import { implausibleDates } from '../inbound-credit';
import { PBOC_DEMAND_SCHEDULE } from '../interest';
import { CLOCK_SKEW_MS, isInstantInFuture } from './business-time';
import type { RefundBonds } from './lot-commands';
import type { BondCredited, LotEvent } from './lot-events';
import { bondIdFor, refundIdFor } from './lot-ids';
import { lotDecider } from './lot-decider';
import { lotBond } from './lot-state';

/** Issue #14, items 1–3: dates a caller sends, forfeiture's legal ground, refund runs (docs/rules.md). */
const spec = DeciderSpecification.for(lotDecider);

const LOT_VA = '9558800000000000018';
const aliceBond = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);
const bobBond = bondIdFor(LOT, 'bob', BOB.bankCode, BOB.accountNo);

function credited(bidderId: 'alice' | 'bob', overrides: Partial<BondCredited['data']> = {}): BondCredited {
  const payer = bidderId === 'alice' ? ALICE : BOB;
  const amount = overrides.amount ?? '20000.00';
  return {
    type: 'BondCredited',
    data: {
      lotId: LOT,
      bondId: bidderId === 'alice' ? aliceBond : bobBond,
      creditId: `C-${bidderId}`,
      bankRef: `REF-${bidderId}`,
      requestHash: `hash-${bidderId}`,
      source: 'INBOUND',
      payer,
      virtualAccountNo: LOT_VA,
      bankCode: BANK,
      amount,
      valueDate: '2026-12-01',
      receivedAt: '2026-12-01T10:00:00+08:00',
      principalAfter: amount,
      flags: [],
      anchorRevision: 0,
      postings: [
        { account: `clearing:${BANK}`, side: 'DEBIT', amount },
        { account: `virtual:${LOT_VA}`, side: 'CREDIT', amount },
      ],
      bidderId,
      ...overrides,
    },
  };
}

const opened: LotEvent[] = [
  { type: 'DepositsClosed', data: { lotId: LOT, depositDeadline: '2026-12-10T09:00:00+08:00' } },
  { type: 'BidsOpened', data: { lotId: LOT, bidOpeningTime: '2026-12-10T09:30:00+08:00' } },
];
const terminated: LotEvent = { type: 'TenderTerminated', data: { lotId: LOT, reason: 'cancelled', terminatedAt: '2026-12-12T10:00:00+08:00', refundsDueBy: '2026-12-12' } };
const lateWithdrawal: LotEvent = {
  type: 'BidderWithdrew',
  data: { lotId: LOT, bidderId: 'alice', noticeReceivedAt: '2026-12-10T10:00:00+08:00', beforeDeadline: false, bondIds: [aliceBond] },
};
const refusedToSign: LotEvent = { type: 'WinnerRefusedToSign', data: { lotId: LOT, bidderId: 'alice', refusedOn: '2026-12-12', reason: 'refused the contract terms', bondIds: [aliceBond] } };

/** The ledger's clock in these specifications: 15 December 2026, 10:00 in Beijing. */
const NOW = '2026-12-15T10:00:00+08:00';
const run = (refundOn: string, now = NOW): RefundBonds => ({ type: 'RefundBonds', refundOn, schedule: PBOC_DEMAND_SCHEDULE, now });

describe('dates a caller sends (docs/rules.md, "Dates")', () => {
  it(`allows an instant up to the clock skew (${CLOCK_SKEW_MS / 60000} minutes) ahead of the clock, and no further`, () => {
    expect(isInstantInFuture('2026-12-15T10:05:00+08:00', NOW)).toBe(false);
    expect(isInstantInFuture('2026-12-15T10:05:01+08:00', NOW)).toBe(true);
  });

  it('refuses a withdrawal notice from the future: no "after the deadline" before the deadline (Art. 35)', () => {
    // Given a lot whose deadline is 10 December, on 5 December; when a notice dated 2030 arrives; then 422 and nothing recorded.
    spec
      .given([registered(), credited('alice')])
      .when({ type: 'WithdrawBidder', bidderId: 'alice', noticeReceivedAt: '2030-06-01T10:00:00+08:00', now: '2026-12-05T10:00:00+08:00' })
      .thenRejects({ code: 'INSTANT_IN_FUTURE', field: 'noticeReceivedAt' });
  });

  it('takes a contract signed between bid opening and today only (Art. 57 counts from it)', () => {
    const award = (contractSignedOn: string) => ({ type: 'AwardLot' as const, winnerBidderId: 'alice', contractSignedOn, now: NOW });
    const history = [registered(), credited('alice'), ...opened];
    spec.given(history).when(award('2099-01-01')).thenRejects({ code: 'DATE_IN_FUTURE', field: 'contractSignedOn' });
    spec.given(history).when(award('2001-01-01')).thenRejects({ code: 'CONTRACT_BEFORE_BID_OPENING', field: 'contractSignedOn' });
    expect(spec.given(history).when(award('2026-12-10')).thenEvent().type).toBe('LotAwarded');
    expect(spec.given(history).when(award('2026-12-15')).thenEvent().type).toBe('LotAwarded');
  });

  it('suspends a credit received beyond the clock, value-dated after its receipt, or more than 10 days before it', () => {
    const receivedAt = '2026-12-01T10:00:00+08:00';
    expect(implausibleDates({ receivedAt: '2026-12-01T10:06:00+08:00', valueDate: '2026-12-01' }, receivedAt)).toBe('RECEIVED_IN_FUTURE');
    expect(implausibleDates({ receivedAt, valueDate: '2026-12-02' }, receivedAt)).toBe('VALUE_DATE_AFTER_RECEIPT');
    expect(implausibleDates({ receivedAt, valueDate: '2016-12-01' }, receivedAt)).toBe('VALUE_DATE_TOO_OLD');
    expect(implausibleDates({ receivedAt, valueDate: '2026-11-20' }, receivedAt)).toBe('VALUE_DATE_TOO_OLD');
    expect(implausibleDates({ receivedAt, valueDate: '2026-11-21' }, receivedAt)).toBeUndefined();
    // 2026-11-30T16:30Z is 00:30 on 1 December in Beijing: a value date of 1 December is that day's.
    expect(implausibleDates({ receivedAt: '2026-11-30T16:30:00Z', valueDate: '2026-12-01' }, receivedAt)).toBeUndefined();
  });
});

describe('forfeiture needs its legal ground in the history (docs/rules.md, "Forfeiture")', () => {
  const forfeit = (ground?: 'WITHDRAWN_AFTER_DEADLINE' | 'REFUSED_TO_SIGN') => ({ type: 'ForfeitBond' as const, bondId: aliceBond, reason: 'kept by the center', ground });

  it('forfeits on a withdrawal after the deadline (Art. 35), naming the ground in the event', () => {
    const event = spec.given([registered(), credited('alice'), ...opened, lateWithdrawal]).when(forfeit('WITHDRAWN_AFTER_DEADLINE')).thenEvent();
    expect(event).toMatchObject({ type: 'BondForfeited', data: { bondId: aliceBond, ground: 'WITHDRAWN_AFTER_DEADLINE', amount: '20000.00' } });
  });

  it('records a winner refusing to sign after opening, and forfeits on that ground (Art. 74)', () => {
    const history = [registered(), credited('alice'), credited('bob'), ...opened];
    spec
      .given(history)
      .when({ type: 'RecordSigningRefusal', bidderId: 'alice', refusedOn: '2026-12-12', reason: 'refused the contract terms', now: NOW })
      .then([refusedToSign]);
    const event = spec.given([...history, refusedToSign]).when(forfeit('REFUSED_TO_SIGN')).thenEvent();
    expect(event).toMatchObject({ type: 'BondForfeited', data: { ground: 'REFUSED_TO_SIGN' } });
  });

  it('without a ground named, forfeits on the one the history records (the contract body is {reason})', () => {
    const event = spec.given([registered(), credited('alice'), ...opened, lateWithdrawal]).when(forfeit()).thenEvent();
    expect(event).toMatchObject({ type: 'BondForfeited', data: { ground: 'WITHDRAWN_AFTER_DEADLINE' } });
    spec.given([registered(), credited('alice'), ...opened]).when(forfeit()).thenRejects({ code: 'FORFEITURE_NOT_ALLOWED', field: 'bondId' });
  });

  it('refuses a ground the history does not record, and a bond with no ground at all', () => {
    spec.given([registered(), credited('alice'), ...opened, lateWithdrawal]).when(forfeit('REFUSED_TO_SIGN')).thenRejects({ code: 'FORFEITURE_GROUND_NOT_RECORDED', field: 'ground' });
    spec.given([registered(), credited('alice'), ...opened, refusedToSign]).when(forfeit('WITHDRAWN_AFTER_DEADLINE')).thenRejects({ code: 'FORFEITURE_GROUND_NOT_RECORDED', field: 'ground' });
    spec.given([registered(), credited('alice'), ...opened]).when(forfeit('REFUSED_TO_SIGN')).thenRejects({ code: 'FORFEITURE_NOT_ALLOWED', field: 'bondId' });
  });

  it('refuses a refusal before opening, dated before opening or after today, twice, and an award to the refuser', () => {
    const refusal = (refusedOn: string) => ({ type: 'RecordSigningRefusal' as const, bidderId: 'alice', refusedOn, reason: 'x', now: NOW });
    spec.given([registered(), credited('alice')]).when(refusal('2026-12-12')).thenRejects({ code: 'BIDS_NOT_OPENED' });
    spec.given([registered(), credited('alice'), ...opened]).when(refusal('2026-12-09')).thenRejects({ code: 'REFUSAL_BEFORE_BID_OPENING', field: 'refusedOn' });
    spec.given([registered(), credited('alice'), ...opened]).when(refusal('2026-12-16')).thenRejects({ code: 'DATE_IN_FUTURE', field: 'refusedOn' });
    spec.given([registered(), credited('alice'), ...opened, refusedToSign]).when(refusal('2026-12-13')).thenRejects({ kind: 'CONFLICT', code: 'ALREADY_REFUSED_TO_SIGN' });
    spec
      .given([registered(), credited('alice'), credited('bob'), ...opened, refusedToSign])
      .when({ type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-14', now: NOW })
      .thenRejects({ code: 'WINNER_REFUSED_TO_SIGN', field: 'winnerBidderId' });
  });
});

describe('refund dates (docs/rules.md, "Refund dates"; Art. 31, 57)', () => {
  const history = [registered(), credited('alice'), ...opened, terminated];

  it('refuses a refund dated after today, and one dated before the bond became refundable', () => {
    spec.given(history).when(run('2099-12-31')).thenRejects({ code: 'DATE_IN_FUTURE', field: 'refundOn' });
    // The credit day, before the termination: it would pay less and never look late.
    spec.given(history).when(run('2026-12-01')).thenRejects({ code: 'REFUND_BEFORE_REFUNDABLE', field: 'refundOn' });
    expect(spec.given(history).when(run('2026-12-12')).thenEvent().data).toMatchObject({ refundOn: '2026-12-12', late: false });
  });

  it('prices a re-instruction after a failed settlement from the day of the failure, to its own date', () => {
    const first = spec.given(history).when(run('2026-12-12')).thenEvents();
    const refundId = refundIdFor(LOT, aliceBond, 1);
    const failed = spec.given([...history, ...first]).when({ type: 'SettleRefund', refundId, status: 'FAILED', bankRef: 'OUT-1', reason: 'account frozen', now: '2026-12-14T16:00:00+08:00' }).thenEvent();
    expect(failed.data).toMatchObject({ failedOn: '2026-12-14' });
    const after = [...history, ...first, failed];
    spec.given(after).when(run('2026-12-12')).thenRejects({ code: 'REFUND_BEFORE_REFUNDABLE', field: 'refundOn' });
    // 20,000.00 × 0.35% × 14 days (1 to 15 December) / 360 = 2.7222… → 2.72
    expect(spec.given(after).when(run('2026-12-15')).thenEvent().data).toMatchObject({ attempt: 2, refundOn: '2026-12-15', interest: '2.72', late: true });
  });
});

describe('a refund run instructs every bond it can (docs/rules.md, "Refund runs")', () => {
  it('instructs the other bonds when one cannot be priced, changing nothing for that one', () => {
    // Bob's value date is before the schedule's first rate (2015-10-24): no rate for it.
    const history = [registered(), credited('alice'), credited('bob', { valueDate: '2015-01-01' }), ...opened, terminated];
    const events = spec.given(history).when(run('2026-12-12')).thenEvents();
    expect(events.map((event) => event.type)).toEqual(['RefundInstructed']);
    expect(at(events, 0).data).toMatchObject({ bondId: aliceBond });
    const state = spec.given(history).when(run('2026-12-12')).thenState();
    expect(lotBond(state, bobBond)).toMatchObject({ status: 'REFUND_DUE', refundAttempts: 0 });
  });

  it('refuses the run with the first reason when no bond can be refunded', () => {
    const history = [registered(), credited('bob', { valueDate: '2015-01-01' }), ...opened, terminated];
    spec.given(history).when(run('2026-12-12')).thenRejects({ code: 'NO_RATE_FOR_DATE', field: 'refundOn' });
    const valueLater = [registered(), credited('alice', { valueDate: '2026-12-13' }), ...opened, terminated];
    spec.given(valueLater).when(run('2026-12-12')).thenRejects({ code: 'REFUND_BEFORE_VALUE_DATE', field: 'refundOn' });
  });
});
