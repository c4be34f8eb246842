import { ALICE, BOB, CAROL, ERIN, FRANK, HANK, buildScenario } from '../../test/scenario';
import { at } from '../../test/at';
import { foldEvents } from '../projection';
import { refundOf, refundQueueProjection, refundsOf } from './refund-queue.projection';

const scenario = buildScenario();
const { log } = scenario.harness;
const foldTo = (n: number) => foldEvents(refundQueueProjection, log.slice(0, n));
const summary = (items: ReturnType<typeof refundsOf>) =>
  items.map(({ lotId, payTo, attempt, status, total, late }) => ({ lotId, payer: payTo.name, attempt, status, total, late }));

describe('refund queue projection', () => {
  it('lists every refund instruction in the order made, with hand-checked totals and how each ended', () => {
    expect(summary(refundsOf(foldTo(log.length)))).toEqual([
      { lotId: 'L2', payer: FRANK.name, attempt: 1, status: 'SETTLED', total: '50003.36', late: false },
      { lotId: 'L1', payer: ALICE.name, attempt: 1, status: 'SETTLED', total: '50009.82', late: false },
      { lotId: 'L1', payer: BOB.name, attempt: 1, status: 'SETTLED', total: '50009.72', late: false },
      { lotId: 'L1', payer: CAROL.name, attempt: 1, status: 'FAILED', total: '60010.50', late: false },
      { lotId: 'L1', payer: ERIN.name, attempt: 1, status: 'SETTLED', total: '40006.61', late: false },
      // 50 000 × (0.35% × 7 + 1.50% × 4) / 365 = 4225 / 365 = 11.575… ; due the day of termination, 12-12.
      { lotId: 'L2', payer: HANK.name, attempt: 1, status: 'SETTLED', total: '50011.58', late: true },
      // 60 000 × 0.35% × 24 / 360 = 14.00; due 12-25.
      { lotId: 'L1', payer: CAROL.name, attempt: 2, status: 'SETTLED', total: '60014.00', late: true },
    ]);
  });

  it('filters by lot and by status', () => {
    const model = foldTo(scenario.marks.carolFailed);
    expect(summary(refundsOf(model, { status: 'INSTRUCTED' }))).toEqual([
      { lotId: 'L1', payer: ERIN.name, attempt: 1, status: 'INSTRUCTED', total: '40006.61', late: false },
    ]);
    expect(refundsOf(model, { lotId: 'L2' }).map((refund) => refund.payTo)).toEqual([FRANK]);
    expect(refundsOf(model, { lotId: 'L1', status: 'SETTLED' }).map((refund) => refund.payTo)).toEqual([ALICE, BOB]);
    expect(refundsOf(model, { lotId: 'L9' })).toEqual([]);
  });

  it('keeps the instruction details, the bank references and the failure reason', () => {
    const model = foldTo(log.length);
    const failed = at(refundsOf(model, { status: 'FAILED' }), 0);
    expect(failed).toMatchObject({
      lotId: 'L1',
      bidderId: 'carol',
      principal: '60000.00',
      interest: '10.50',
      refundOn: '2026-12-22',
      dueBy: '2026-12-25',
      bankRef: 'OUT-A003',
      failureReason: 'account closed',
    });
    expect(refundOf(model, failed.refundId)).toEqual(failed);
    const bob = refundsOf(model).find((refund) => refund.payTo.accountNo === BOB.accountNo)!;
    expect(bob).not.toHaveProperty('bidderId');
    expect(bob).not.toHaveProperty('failureReason');
    expect(bob.bankRef).toBe('OUT-A002');
    expect(refundOf(model, 'R-0000000000000000-L1')).toBeUndefined();
    expect(refundOf(model, 'nonsense')).toBeUndefined();
  });

  it('lists a refund instructed again under the same id once, as the later instruction made it', () => {
    const instruction = log.find((event) => event.type === 'RefundInstructed')!;
    const { refundId, lotId } = instruction.data as { refundId: string; lotId: string };
    const model = foldTo(log.length);
    const again = { ...instruction, position: log[log.length - 1]!.position + 1n };
    const next = refundQueueProjection.apply(model, again);
    const ids = (m: typeof model) => refundsOf(m, { lotId }).map((refund) => refund.refundId).sort();
    expect(ids(next)).toEqual(ids(model));
    expect(refundOf(next, refundId)).toMatchObject({ status: 'INSTRUCTED', instructedAt: again.position.toString() });
  });
});
