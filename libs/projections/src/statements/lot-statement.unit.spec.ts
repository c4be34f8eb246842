import { type Fen, ZERO_FEN, addFen, amountOfFen, fenOf, subtractFen, tableValues } from '@app/domain';
import { buildHistory } from '../../test/history';
import { buildScenario } from '../../test/scenario';
import { accountBalance, balancesProjection } from '../balances/balances.projection';
import { foldEvents } from '../projection';
import { refundsOf, refundQueueProjection } from '../refunds/refund-queue.projection';
import { type StatementLine, lotStatementProjection, statementLinesOf, statementRefundOf } from './lot-statement.projection';

/** What the lines leave in the lot: in for credits and bounced refunds, out for the rest. */
function heldByLines(lines: readonly StatementLine[]): string {
  let held: Fen = ZERO_FEN;
  for (const line of lines) held = line.kind === 'CREDIT' || line.kind === 'REFUND_FAILED' ? addFen(held, fenOf(line.amount)) : subtractFen(held, fenOf(line.amount));
  return amountOfFen(held);
}

describe('lot statement projection', () => {
  it('leaves in each lot, line by line, exactly what the ledger holds in its virtual accounts (a long history of every kind of movement)', () => {
    const history = buildHistory({ lots: 8, biddersPerLot: 8, seed: 5 });
    const statements = foldEvents(lotStatementProjection, history);
    const balances = foldEvents(balancesProjection, history);
    const lots = new Set(tableValues(balances.virtualAccounts).map((link) => link.lotId));
    expect(lots.size).toBe(8);
    const kinds = new Set<string>();
    for (const lotId of lots) {
      const lines = statementLinesOf(statements, lotId);
      for (const line of lines) kinds.add(line.kind);
      let ledger: Fen = ZERO_FEN;
      for (const link of tableValues(balances.virtualAccounts).filter((candidate) => candidate.lotId === lotId)) {
        // Debits minus credits: a liability holding 100.00 reads -100.00.
        ledger = subtractFen(ledger, fenOf(accountBalance(balances, `virtual:${link.virtualAccountNo}`)));
      }
      expect({ lotId, held: heldByLines(lines) }).toEqual({ lotId, held: amountOfFen(ledger) });
    }
    expect([...kinds].sort()).toEqual(['CREDIT', 'FORFEITURE', 'REFUND', 'REFUND_FAILED', 'REVERSAL']);
  });

  it('names the counterparty, the dates and references of each kind of line, and keeps each refund’s day count and rates', () => {
    const { harness } = buildScenario();
    const statements = foldEvents(lotStatementProjection, harness.log);
    const refunds = foldEvents(refundQueueProjection, harness.log);
    const lines = statementLinesOf(statements, 'L1');
    const credit = lines.find((line) => line.kind === 'CREDIT')!;
    expect(credit).toMatchObject({ at: expect.stringMatching(/^2026-/), valueDate: expect.stringMatching(/^2026-/), bankRef: expect.any(String), counterparty: { accountNo: expect.any(String), name: expect.any(String), bankCode: expect.any(String) } });
    const failed = lines.find((line) => line.kind === 'REFUND_FAILED')!;
    const instructed = lines.find((line) => line.kind === 'REFUND' && line.refundId === failed.refundId)!;
    expect(failed).toMatchObject({ amount: instructed.amount, interest: instructed.interest, counterparty: instructed.counterparty, bankRef: 'OUT-A003' });
    // The refund's line carries the outgoing payment's reference once it settled.
    const settled = refundsOf(refunds, { lotId: 'L1', status: 'SETTLED' })[0]!;
    expect(lines.find((line) => line.refundId === settled.refundId && line.kind === 'REFUND')).toMatchObject({ bankRef: settled.bankRef, amount: settled.principal, interest: settled.interest, valueDate: settled.refundOn });
    expect(statementRefundOf(statements, settled.refundId)).toMatchObject({ lotId: 'L1', bondId: settled.bondId, dayCount: expect.stringMatching(/^ACT\/36[05]$/), rates: expect.arrayContaining([{ effectiveFrom: expect.any(String), annualRate: expect.any(String) }]) });
    expect(statementLinesOf(statements, 'NO-SUCH-LOT')).toEqual([]);
  });
});
