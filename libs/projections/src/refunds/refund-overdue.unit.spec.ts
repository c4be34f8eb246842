import { PBOC_DEMAND_SCHEDULE, type RefundInstructed, bondIdFor } from '@app/domain';
import { LedgerHarness } from '../../test/ledger-harness';
import { ALICE, BANK_A, BOB, CENTER, L1_TERMS, M1, PREFIX_A } from '../../test/scenario';
import { at } from '../../test/at';
import { foldEvents } from '../projection';
import { overdueRefundsOf, refundQueueProjection } from './refund-queue.projection';

/**
 * Art. 57: the refund queue shows each bond whose refund was still owed at its limit (RefundOverdue)
 * until it is paid, following the bond through the domain's own transitions.
 */
describe('refund queue: overdue refunds', () => {
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  h.declareBasicAccount('alice', ALICE);
  h.declareBasicAccount('bob', BOB);
  h.registerLot({ ...L1_TERMS, basicAccountPolicy: 'ENFORCE' });
  const va = h.issueVirtualAccount('L1', M1);
  const received = (bankRef: string, payer: typeof ALICE) =>
    h.receive({ bankRef, receivedAt: '2026-12-01T10:00:00+08:00', valueDate: '2026-12-01', amount: '50000.00', payer, payeeAccountNo: va });
  received('A001', ALICE);
  received('A002', BOB);
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
  h.lot('L1', { type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T15:00:00+08:00' });
  // Both refunds go out in time; Bob's bounces before the limit, Alice's is not yet reported at it.
  const firstRun = h.lot('L1', { type: 'RefundBonds', refundOn: '2026-12-22', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-22T10:00:00+08:00' }) as RefundInstructed[];
  const refundIdOf = (run: RefundInstructed[], bidderId: string) => at(run.filter((event) => event.data.bidderId === bidderId), 0).data.refundId;
  const aliceRefundId = refundIdOf(firstRun, 'alice');
  h.lot('L1', { type: 'SettleRefund', refundId: refundIdOf(firstRun, 'bob'), status: 'FAILED', bankRef: 'OUT-0', reason: 'account closed', now: '2026-12-23T10:00:00+08:00' });
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-25T23:59:00+08:00' });
  const beforeLimit = h.log.length;
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-26T00:00:01+08:00' });
  const overdueRecorded = h.log.length;
  h.lot('L1', { type: 'SettleRefund', refundId: aliceRefundId, status: 'SETTLED', bankRef: 'OUT-1', now: '2026-12-27T10:00:00+08:00' });
  const bobRefund = h.lot('L1', { type: 'RefundBonds', refundOn: '2026-12-28', schedule: PBOC_DEMAND_SCHEDULE, now: '2026-12-28T10:00:00+08:00' }) as RefundInstructed[];
  const bobRefundId = refundIdOf(bobRefund, 'bob');
  h.lot('L1', { type: 'SettleRefund', refundId: bobRefundId, status: 'FAILED', bankRef: 'OUT-2', reason: 'account frozen', now: '2026-12-29T10:00:00+08:00' });
  const bobFailed = h.log.length;
  h.lot('L1', { type: 'RecordTimePassed', now: '2027-01-05T00:00:00+08:00' });
  const fold = (n: number) => foldEvents(refundQueueProjection, h.log.slice(0, n));
  const aliceBond = bondIdFor('L1', 'alice', ALICE.bankCode, ALICE.accountNo);
  const bobBond = bondIdFor('L1', 'bob', BOB.bankCode, BOB.accountNo);

  it('lists nothing before the limit', () => {
    expect(overdueRefundsOf(fold(beforeLimit))).toEqual([]);
  });

  it('lists every bond still owed at its limit, a pending instruction named', () => {
    const items = overdueRefundsOf(fold(overdueRecorded));
    expect(items.map(({ bondId, bondStatus, open, refundId, refundDueBy, observedAt }) => ({ bondId, bondStatus, open, refundId, refundDueBy, observedAt }))).toEqual([
      { bondId: aliceBond, bondStatus: 'REFUND_PENDING', open: true, refundId: aliceRefundId, refundDueBy: '2026-12-25', observedAt: '2026-12-26T00:00:01+08:00' },
      { bondId: bobBond, bondStatus: 'REFUND_DUE', open: true, refundId: undefined, refundDueBy: '2026-12-25', observedAt: '2026-12-26T00:00:01+08:00' },
    ]);
    expect(overdueRefundsOf(fold(overdueRecorded), { lotId: 'L2' })).toEqual([]);
  });

  it('takes a settled refund out of the queue; a refund failing after its limit keeps the bond there, without a second RefundOverdue', () => {
    const model = fold(h.log.length);
    expect(overdueRefundsOf(model).map(({ bondId, bondStatus, refundId }) => ({ bondId, bondStatus, refundId }))).toEqual([
      { bondId: bobBond, bondStatus: 'REFUND_DUE', refundId: bobRefundId },
    ]);
    expect(overdueRefundsOf(model, { all: true }).map(({ bondId, open }) => ({ bondId, open }))).toEqual([
      { bondId: aliceBond, open: false },
      { bondId: bobBond, open: true },
    ]);
    expect(h.log.slice(bobFailed).map((event) => event.type)).toEqual([]);
    expect(h.log.filter((event) => event.type === 'RefundOverdue')).toHaveLength(2);
  });
});
