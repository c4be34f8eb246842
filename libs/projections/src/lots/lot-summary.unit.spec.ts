import { Decimal, formatAmount, PBOC_DEMAND_SCHEDULE, sumAmounts, tableEntries } from '@app/domain';
import { LedgerHarness } from '../../test/ledger-harness';
import { BANK_A, BANK_B, CENTER, L1_TERMS, M1, M2, buildScenario } from '../../test/scenario';
import { bondsOfLot, bondsProjection } from '../bonds/bonds.projection';
import { foldEvents } from '../projection';
import { allLotSummaries, lotSummaryOf, lotSummaryProjection } from './lot-summary.projection';

const scenario = buildScenario();
const { log } = scenario.harness;
const foldTo = (n: number) => foldEvents(lotSummaryProjection, log.slice(0, n));
const statusAt = (n: number, lotId: string) => lotSummaryOf(foldTo(n), lotId)?.status;
const indexAfter = (type: string, lotId: string) => log.findIndex((event) => event.type === type && event.streamName === `lot-${lotId}`) + 1;

describe('lot summary projection', () => {
  it("keeps the counts and the total equal to a recount of the bonds projection's bonds, at every point of the log", () => {
    let lots = lotSummaryProjection.initial;
    let bonds = bondsProjection.initial;
    for (const event of log) {
      lots = lotSummaryProjection.apply(lots, event);
      bonds = bondsProjection.apply(bonds, event);
      for (const lotId of ['L1', 'L2']) {
        const paid = (bondsOfLot(bonds, lotId) ?? []).filter((bond) => bond.principal !== '0.00');
        const owed = paid.filter((bond) => ['HELD', 'REFUND_DUE', 'REFUND_PENDING'].includes(bond.status));
        expect(lotSummaryOf(lots, lotId)?.confidential ?? 'unregistered').toEqual(
          bondsOfLot(bonds, lotId) === undefined
            ? 'unregistered'
            : { bondCount: paid.length, totalPrincipal: formatAmount(sumAmounts(paid.map((bond) => Decimal(bond.principal)))), owedBondCount: owed.length },
        );
      }
    }
  });

  it('follows L1 through its life: OPEN, DEPOSITS_CLOSED, BIDS_OPENED, AWARDED, REFUNDING, SETTLED', () => {
    const { marks } = scenario;
    expect(statusAt(marks.setUp, 'L1')).toBe('OPEN');
    expect(statusAt(indexAfter('DepositsClosed', 'L1'), 'L1')).toBe('DEPOSITS_CLOSED');
    expect(statusAt(marks.l1Opened, 'L1')).toBe('BIDS_OPENED');
    expect(statusAt(marks.l1Awarded, 'L1')).toBe('AWARDED');
    expect(statusAt(marks.l1Refunded, 'L1')).toBe('REFUNDING');
    // carol's refund failed: her bond is owed again.
    expect(statusAt(marks.carolFailed, 'L1')).toBe('REFUNDING');
    expect(statusAt(marks.end - 1, 'L1')).toBe('REFUNDING');
    // dave's bond is REFUND_DUE with nothing in it: nothing is owed once carol's retry settles.
    expect(statusAt(marks.end, 'L1')).toBe('SETTLED');
  });

  it('follows L2: a refund after an early withdrawal does not start REFUNDING; terminated, refunding, settled', () => {
    const { marks } = scenario;
    expect(statusAt(marks.l2FrankRefunded, 'L2')).toBe('OPEN');
    expect(lotSummaryOf(foldTo(marks.l2FrankRefunded), 'L2')?.refundsStarted).toBe(false);
    expect(statusAt(marks.l2Terminated, 'L2')).toBe('TERMINATED');
    expect(statusAt(marks.l2RefundInstructed, 'L2')).toBe('REFUNDING');
    // frank refunded, gina forfeited, hank refunded.
    expect(statusAt(marks.l2RefundInstructed + 1, 'L2')).toBe('SETTLED');
  });

  it('is sealed until BidsOpened, then not', () => {
    const { marks } = scenario;
    expect(lotSummaryOf(foldTo(marks.l1Credited), 'L1')?.sealed).toBe(true);
    expect(lotSummaryOf(foldTo(indexAfter('BidsOpened', 'L1') - 1), 'L1')?.sealed).toBe(true);
    expect(lotSummaryOf(foldTo(indexAfter('BidsOpened', 'L1')), 'L1')?.sealed).toBe(false);
  });

  it('lists the virtual accounts, terms, award, and the sealed count and total of the bonds', () => {
    const model = foldTo(log.length);
    const l1 = lotSummaryOf(model, 'L1')!;
    expect(l1).toMatchObject({
      lotId: 'L1',
      centerId: CENTER,
      terms: L1_TERMS,
      depositsClosed: true,
      award: { winnerBidderId: 'alice', contractSignedOn: '2026-12-20', refundsDueBy: '2026-12-25' },
      refundsStarted: true,
    });
    expect(l1.virtualAccounts).toEqual([
      { virtualAccountNo: scenario.va1, masterAccountNo: M1, bankCode: BANK_A },
      { virtualAccountNo: scenario.va2, masterAccountNo: M1, bankCode: BANK_A, bidderId: 'carol' },
    ]);
    // alice 50 000, bob 50 000, carol 60 000, erin 40 000; dave's reversed bond does not count.
    expect(l1.confidential).toEqual({ bondCount: 4, totalPrincipal: '200000.00', owedBondCount: 0 });
    expect(tableEntries(model.bonds).filter(([bondId]) => bondId.endsWith('-L1'))).toHaveLength(5);
    const l2 = lotSummaryOf(model, 'L2')!;
    expect(l2.virtualAccounts).toEqual([{ virtualAccountNo: scenario.va3, masterAccountNo: M2, bankCode: BANK_B }]);
    expect(l2.confidential).toMatchObject({ bondCount: 3, totalPrincipal: '150000.00' });
    expect(l2.termination).toEqual({ reason: 'project cancelled', terminatedAt: '2026-12-12T15:00:00+08:00', refundsDueBy: '2026-12-12' });
    expect(allLotSummaries(model).map((lot) => lot.lotId)).toEqual(['L1', 'L2']);
  });

  it('counts bonds and principal as credits, reversals and suspense matches come in', () => {
    expect(lotSummaryOf(foldTo(scenario.marks.setUp), 'L1')?.confidential).toEqual({ bondCount: 0, totalPrincipal: '0.00', owedBondCount: 0 });
    // alice 30 000 + 20 000, bob 50 000, carol 60 000, dave 50 000.
    expect(lotSummaryOf(foldTo(scenario.marks.l1Credited), 'L1')?.confidential).toMatchObject({ bondCount: 4, totalPrincipal: '210000.00' });
    // dave reversed (0.00), erin matched 40 000.
    expect(lotSummaryOf(foldTo(scenario.marks.suspenseResolved), 'L1')?.confidential).toMatchObject({ bondCount: 4, totalPrincipal: '200000.00' });
  });

  it('keeps a lot terminated before opening sealed and TERMINATED when nobody paid', () => {
    const h = new LedgerHarness();
    h.registerCenter(CENTER);
    h.defineSchedule(PBOC_DEMAND_SCHEDULE);
    h.registerLot({ ...L1_TERMS, lotId: 'L3' });
    h.lot('L3', { type: 'TerminateTender', reason: 'no budget', now: '2026-12-01T12:00:00+08:00' });
    const model = foldEvents(lotSummaryProjection, h.log);
    expect(lotSummaryOf(model, 'L3')).toMatchObject({ status: 'TERMINATED', sealed: true, refundsStarted: false });
    expect(lotSummaryOf(model, 'L4')).toBeUndefined();
  });

  it('changes nothing for a bond event of a bond the lot never credited', () => {
    const model = foldTo(log.length);
    const settled = log.find((event) => event.type === 'RefundSettled')!;
    const stray = { ...settled, data: { ...(settled.data as object), bondId: 'B-never-credited' }, position: log[log.length - 1]!.position + 1n };
    const next = lotSummaryProjection.apply(model, stray);
    expect(next.bonds).toBe(model.bonds);
    expect(next.lots).toBe(model.lots);
  });
});
