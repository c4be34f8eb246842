import { PBOC_DEMAND_SCHEDULE, type LotRegistered, type Payer, type RateSchedule, formatVirtualAccountNo, lotBonds } from '@app/domain';
import { LedgerHarness } from './ledger-harness';
import { at as elementAt } from './at';

/**
 * Two lots of one center at two banks, run through the real deciders and credit decisions (LedgerHarness):
 *
 * Lot L1 (bank A, master M1, PBOC-DEMAND ACT/360 0.35%, basic-account policy FLAG, bond 50 000.00):
 *   alice (declared) 30 000.00 on 12-01 + 20 000.00 on 12-03 to the lot's account VA1;
 *   bob (undeclared: no bidder, NOT_BASIC_ACCOUNT) 50 000.00 on 12-02 to VA1;
 *   carol 60 000.00 on 12-04 to her own account VA2 (AMOUNT_ABOVE_BOND);
 *   dave (declared) 50 000.00 on 12-05 to VA1, reversed by the bank the next day;
 *   erin 40 000.00 on 12-05 to a number never issued → suspense, matched to VA1 on 12-06;
 *   a payment with a bad check digit 10 000.00 → suspense, returned;
 *   a payment after the deadline → refused by the lot (CreditRefused), returned to the payer.
 *   Deposits close and bids open 12-10; awarded to alice, contract 12-20 (refunds due 12-25);
 *   refunds on 12-22: alice, bob, erin settle, carol's fails and is retried on 12-28 (late), settles.
 *
 * Lot L2 (bank B, master M2, SPLIT-365: ACT/365, 0.35% then 1.50% from 12-10, policy OFF):
 *   frank, gina, hank 50 000.00 each on 12-01, 12-02, 12-03;
 *   frank withdraws before the deadline (due 12-10), refunded on 12-08;
 *   gina withdraws after the deadline and her bond is forfeited;
 *   the tender is terminated on 12-12 (due that day); hank is refunded on 12-14 (late).
 */

export const CENTER = 'C1';
export const BANK_A = '102100099996';
export const BANK_B = '104100000004';
export const PREFIX_A = '955880';
export const PREFIX_B = '622848';
export const M1 = '6217000010001';
export const M1_SPARE = '6217000010099';
export const M2 = '6228480010002';

export const SPLIT_365: RateSchedule = {
  scheduleId: 'SPLIT-365',
  dayCount: 'ACT/365',
  entries: [
    { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
    { effectiveFrom: '2026-12-10', annualRate: '0.015' },
  ],
};

const payer = (name: string, accountNo: string, bankCode = '103100000026'): Payer => ({ accountNo, name, bankCode });
export const ALICE = payer('Alice Construction Co', '6222000011110001');
export const BOB = payer('Bob Engineering Ltd', '6222000011110002');
export const CAROL = payer('Carol Roads', '6222000011110003');
export const DAVE = payer('Dave Bridges', '6222000011110004');
export const ERIN = payer('Erin Tunnels', '6222000011110005');
export const FRED = payer('Fred Late', '6222000011110006');
export const FRANK = payer('Frank Works', '6222000022220001', '105100000017');
export const GINA = payer('Gina Build', '6222000022220002', '105100000017');
export const HANK = payer('Hank Civil', '6222000022220003', '105100000017');

export const L1_TERMS: LotRegistered['data'] = {
  lotId: 'L1',
  centerId: CENTER,
  projectCode: 'PRJ-1',
  name: 'Ring road section 1',
  estimatedPrice: '5000000.00',
  bondAmount: '50000.00',
  depositDeadline: '2026-12-10T09:00:00+08:00',
  bidOpeningTime: '2026-12-10T09:30:00+08:00',
  basicAccountPolicy: 'FLAG',
  rateScheduleId: 'PBOC-DEMAND',
};

export const L2_TERMS: LotRegistered['data'] = {
  ...L1_TERMS,
  lotId: 'L2',
  projectCode: 'PRJ-2',
  name: 'Ring road section 2',
  basicAccountPolicy: 'OFF',
  rateScheduleId: 'SPLIT-365',
};

/** Log lengths at points of the story, to fold a prefix of the log. */
export type Mark =
  | 'setUp'
  | 'l1Credited'
  | 'suspenseResolved'
  | 'l1Opened'
  | 'l1Awarded'
  | 'l1Refunded'
  | 'carolFailed'
  | 'l2FrankRefunded'
  | 'l2Terminated'
  | 'l2RefundInstructed'
  | 'end';

export interface Scenario {
  harness: LedgerHarness;
  marks: Record<Mark, number>;
  va1: string;
  va2: string;
  va3: string;
  ids: { unknownVa: string; badCheckDigit: string; erinCredit: string; daveCredit: string; badCredit: string; lateCredit: string };
}

export function buildScenario(): Scenario {
  const h = new LedgerHarness(BANK_A);
  const marks = {} as Record<Mark, number>;
  const mark = (name: Mark) => (marks[name] = h.log.length);

  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.openMasterAccount(CENTER, BANK_A, M1_SPARE, PREFIX_A);
  h.openMasterAccount(CENTER, BANK_B, M2, PREFIX_B);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  h.defineSchedule(SPLIT_365);
  for (const [bidder, account] of [['alice', ALICE], ['dave', DAVE], ['frank', FRANK], ['gina', GINA], ['hank', HANK]] as const) {
    h.declareBasicAccount(bidder, account);
  }
  h.registerLot(L1_TERMS);
  h.registerLot(L2_TERMS);
  const va1 = h.issueVirtualAccount('L1', M1);
  const va2 = h.issueVirtualAccount('L1', M1, 'carol');
  const va3 = h.issueVirtualAccount('L2', M2);
  mark('setUp');

  // L1 deposits
  const at = (date: string) => `${date}T10:00:00+08:00`;
  h.receive({ bankRef: 'A001', receivedAt: at('2026-12-01'), valueDate: '2026-12-01', amount: '30000.00', payer: ALICE, payeeAccountNo: va1 });
  h.receive({ bankRef: 'A002', receivedAt: at('2026-12-02'), valueDate: '2026-12-02', amount: '50000.00', payer: BOB, payeeAccountNo: va1 });
  h.receive({ bankRef: 'A003', receivedAt: at('2026-12-03'), valueDate: '2026-12-03', amount: '20000.00', payer: ALICE, payeeAccountNo: va1 });
  h.receive({ bankRef: 'A004', receivedAt: at('2026-12-04'), valueDate: '2026-12-04', amount: '60000.00', payer: CAROL, payeeAccountNo: va2, remittanceInfo: 'bond L1' });
  const dave = h.receive({ bankRef: 'A005', receivedAt: at('2026-12-05'), valueDate: '2026-12-05', amount: '50000.00', payer: DAVE, payeeAccountNo: va1 });
  const unknownVa = formatVirtualAccountNo(PREFIX_A, 777n);
  const erin = h.receive({ bankRef: 'A006', receivedAt: at('2026-12-05'), valueDate: '2026-12-05', amount: '40000.00', payer: ERIN, payeeAccountNo: unknownVa, remittanceInfo: 'L1 erin' });
  const badCheckDigit = va1.slice(0, 18) + String((Number(va1[18]) + 1) % 10);
  const bad = h.receive({ bankRef: 'A007', receivedAt: at('2026-12-05'), valueDate: '2026-12-05', amount: '10000.00', payer: CAROL, payeeAccountNo: badCheckDigit });
  mark('l1Credited');
  h.reverse(dave.creditId, 'not settled by HVPS');
  h.matchSuspense(erin.creditId, va1);
  h.returnFromSuspense(bad.creditId);
  mark('suspenseResolved');
  const late = h.receive({ bankRef: 'A008', receivedAt: '2026-12-10T09:00:01+08:00', valueDate: '2026-12-10', amount: '50000.00', payer: FRED, payeeAccountNo: va1 });

  // L2 deposits and the early withdrawal
  h.receive({ bankRef: 'B001', receivedAt: at('2026-12-01'), valueDate: '2026-12-01', amount: '50000.00', payer: FRANK, payeeAccountNo: va3 });
  h.receive({ bankRef: 'B002', receivedAt: at('2026-12-02'), valueDate: '2026-12-02', amount: '50000.00', payer: GINA, payeeAccountNo: va3 });
  h.receive({ bankRef: 'B003', receivedAt: at('2026-12-03'), valueDate: '2026-12-03', amount: '50000.00', payer: HANK, payeeAccountNo: va3 });
  h.lot('L2', { type: 'WithdrawBidder', bidderId: 'frank', noticeReceivedAt: at('2026-12-05'), now: at('2026-12-05') });
  const frankRefund = elementAt(h.lot('L2', { type: 'RefundBonds', refundOn: '2026-12-08', schedule: SPLIT_365, now: '2026-12-08T18:00:00+08:00' }), 0);
  h.lot('L2', { type: 'SettleRefund', refundId: (frankRefund.data as { refundId: string }).refundId, status: 'SETTLED', bankRef: 'OUT-B001', now: '2026-12-23T10:00:00+08:00' });
  mark('l2FrankRefunded');

  // Time passes for both lots
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-10T09:05:00+08:00' });
  h.lot('L2', { type: 'RecordTimePassed', now: '2026-12-10T09:05:00+08:00' });
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
  h.lot('L2', { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
  mark('l1Opened');

  // L1: award and refunds
  h.lot('L1', { type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T18:00:00+08:00' });
  mark('l1Awarded');
  const refunds = h.lot('L1', { type: 'RefundBonds', refundOn: '2026-12-22', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-22T18:00:00+08:00' });
  mark('l1Refunded');
  const refundOfPayer = (p: Payer) =>
    refunds.map((event) => event.data as { refundId: string; payTo: Payer }).find((refund) => refund.payTo.accountNo === p.accountNo)!.refundId;
  h.lot('L1', { type: 'SettleRefund', refundId: refundOfPayer(ALICE), status: 'SETTLED', bankRef: 'OUT-A001', now: '2026-12-23T10:00:00+08:00' });
  h.lot('L1', { type: 'SettleRefund', refundId: refundOfPayer(BOB), status: 'SETTLED', bankRef: 'OUT-A002', now: '2026-12-23T10:00:00+08:00' });
  h.lot('L1', { type: 'SettleRefund', refundId: refundOfPayer(CAROL), status: 'FAILED', bankRef: 'OUT-A003', reason: 'account closed', now: '2026-12-23T10:00:00+08:00' });
  mark('carolFailed');
  h.lot('L1', { type: 'SettleRefund', refundId: refundOfPayer(ERIN), status: 'SETTLED', bankRef: 'OUT-A004', now: '2026-12-23T10:00:00+08:00' });

  // L2: late withdrawal, forfeiture, termination, late refund
  h.lot('L2', { type: 'WithdrawBidder', bidderId: 'gina', noticeReceivedAt: at('2026-12-11'), now: at('2026-12-11') });
  const ginaBond = lotBonds(h.lotState('L2')).find((bond) => bond.bidderId === 'gina')!.bondId;
  h.lot('L2', { type: 'ForfeitBond', bondId: ginaBond, reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' });
  h.lot('L2', { type: 'TerminateTender', reason: 'project cancelled', now: '2026-12-12T15:00:00+08:00' });
  mark('l2Terminated');
  const hankRefund = elementAt(h.lot('L2', { type: 'RefundBonds', refundOn: '2026-12-14', schedule: SPLIT_365, now: '2026-12-14T18:00:00+08:00' }), 0);
  mark('l2RefundInstructed');
  h.lot('L2', { type: 'SettleRefund', refundId: (hankRefund.data as { refundId: string }).refundId, status: 'SETTLED', bankRef: 'OUT-B003', now: '2026-12-23T10:00:00+08:00' });

  // L1: carol's retry, late
  const carolRetry = elementAt(h.lot('L1', { type: 'RefundBonds', refundOn: '2026-12-28', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-28T18:00:00+08:00' }), 0);
  h.lot('L1', { type: 'SettleRefund', refundId: (carolRetry.data as { refundId: string }).refundId, status: 'SETTLED', bankRef: 'OUT-A005', now: '2026-12-23T10:00:00+08:00' });
  mark('end');

  return {
    harness: h,
    marks,
    va1,
    va2,
    va3,
    ids: {
      unknownVa,
      badCheckDigit,
      erinCredit: erin.creditId,
      daveCredit: dave.creditId,
      badCredit: bad.creditId,
      lateCredit: late.creditId,
    },
  };
}
