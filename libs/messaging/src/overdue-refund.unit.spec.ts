import { PBOC_DEMAND_SCHEDULE, bondIdFor } from '@app/domain';
import type { ProjectionEvent } from '@app/projections';
import { LedgerHarness } from '../../projections/test/ledger-harness';
import { ALICE, BANK_A, BOB, CENTER, L1_TERMS, M1, PREFIX_A } from '../../projections/test/scenario';
import { type PublishedChange, type PublisherModels, allPublished, applyEvent, changesOf, initialModels } from './published-state';
import { TOPIC_OF_ENTITY } from './topics';

/** Every event folded, with the messages it sends. */
function fold(log: readonly ProjectionEvent[]): { steps: Array<{ event: ProjectionEvent; changes: PublishedChange[] }>; models: PublisherModels } {
  let models = initialModels();
  const steps = log.map((event) => {
    const after = applyEvent(models, event);
    const changes = changesOf(event, models, after);
    models = after;
    return { event, changes };
  });
  return { steps, models };
}

/**
 * Art. 57: a refund still owed at its limit is published on the refunds topic as an `overdue-refund`
 * keyed by its bond, sealed like the bond until the lot's opening (Art. 35: a withdrawal's refund is due
 * before it).
 */
describe('publisher: overdue refunds on the refunds topic', () => {
  const h = new LedgerHarness(BANK_A);
  h.registerCenter(CENTER);
  h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
  h.defineSchedule(PBOC_DEMAND_SCHEDULE);
  h.declareBasicAccount('alice', ALICE);
  h.declareBasicAccount('bob', BOB);
  h.registerLot({ ...L1_TERMS, basicAccountPolicy: 'ENFORCE' });
  const va = h.issueVirtualAccount('L1', M1);
  for (const [bankRef, payer] of [['A001', ALICE], ['A002', BOB]] as const) {
    h.receive({ bankRef, receivedAt: '2026-12-01T10:00:00+08:00', valueDate: '2026-12-01', amount: '50000.00', payer, payeeAccountNo: va });
  }
  // Bob withdraws on 12-02 (due 12-07) and is not refunded: overdue from 12-08, before the opening on 12-10.
  h.lot('L1', { type: 'WithdrawBidder', bidderId: 'bob', noticeReceivedAt: '2026-12-02T10:00:00+08:00', now: '2026-12-02T10:00:00+08:00' });
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-08T00:00:00+08:00' });
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
  // Awarded on 12-20 (due 12-25): Alice's refund is overdue from 12-26.
  h.lot('L1', { type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T15:00:00+08:00' });
  h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-26T08:00:00+08:00' });
  const { steps, models } = fold(h.log);
  const bob = bondIdFor('L1', 'bob', BOB.bankCode, BOB.accountNo);
  const alice = bondIdFor('L1', 'alice', ALICE.bankCode, ALICE.accountNo);
  const overdueMessages = (type: string) =>
    steps.filter((step) => step.event.type === type).flatMap((step) => step.changes.filter((change) => change.entity === 'overdue-refund'));

  it('goes to the refunds topic', () => {
    expect(TOPIC_OF_ENTITY['overdue-refund']).toBe('refunds');
  });

  it('sends nothing while the lot is sealed, and the overdue item in full at its opening', () => {
    const [beforeOpening] = steps.filter((step) => step.event.type === 'RefundOverdue');
    expect(beforeOpening?.changes).toEqual([]);
    expect(overdueMessages('BidsOpened')).toEqual([
      expect.objectContaining({ key: bob, state: expect.objectContaining({ bondId: bob, refundDueBy: '2026-12-07', open: true, bondStatus: 'REFUND_DUE' }) }),
    ]);
  });

  it('sends the overdue item when an opened lot records it, and carries no payer', () => {
    const [message] = overdueMessages('RefundOverdue');
    expect(message).toEqual({
      entity: 'overdue-refund',
      key: alice,
      stateJson: expect.any(String),
      state: {
        lotId: 'L1',
        bondId: alice,
        bidderId: 'alice',
        principal: '50000.00',
        refundDueBy: '2026-12-25',
        observedAt: '2026-12-26T08:00:00+08:00',
        bondStatus: 'REFUND_DUE',
        open: true,
        overdueAt: expect.any(String),
      },
    });
    expect(message?.stateJson).not.toContain(ALICE.accountNo);
    expect(allPublished(models).filter((item) => item.entity === 'overdue-refund').map((item) => item.key)).toEqual([bob, alice]);
  });
});
