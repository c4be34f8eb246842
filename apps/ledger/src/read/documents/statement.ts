import { type Fen, ZERO_FEN, addFen, amountOfFen, businessDateOf, fenOf, subtractFen } from '@app/domain';
import type { StatementLine, StatementLineKind } from '@app/projections';
import { type CsvCell, csvText } from './csv';

/** What the statement's lines add up to (docs/api.md, "Routes for the console"). */
export interface StatementTotals {
  /** Every CREDIT. */
  readonly credited: string;
  /** Every REVERSAL: credits the bank reported as not settled, out again. */
  readonly reversed: string;
  /** REFUND principal less the principal of REFUND_FAILED (what bounced came back). */
  readonly refundedPrincipal: string;
  /** REFUND interest less that of REFUND_FAILED: the bank's expense, on top of the principal. */
  readonly interestPaid: string;
  /** Every FORFEITURE: to the center. */
  readonly forfeited: string;
  /** credited − reversed − refundedPrincipal − forfeited: what the lot's virtual accounts hold. */
  readonly held: string;
}

export interface Statement {
  readonly lotId: string;
  readonly asOf: string;
  readonly lines: readonly StatementLine[];
  readonly totals: StatementTotals;
  /** Credits received per business day (China Standard Time, by `receivedAt`), oldest first: the console's chart. */
  readonly receivedByDay: readonly { readonly date: string; readonly amount: string }[];
}

const INTO_THE_LOT: ReadonlySet<StatementLineKind> = new Set(['CREDIT', 'REFUND_FAILED']);

/** The statement of the lot's lines, added up in integer fen. */
export function statementOf(lotId: string, asOf: string, lines: readonly StatementLine[]): Statement {
  const sums: Record<StatementLineKind, Fen> = { CREDIT: ZERO_FEN, REVERSAL: ZERO_FEN, REFUND: ZERO_FEN, REFUND_FAILED: ZERO_FEN, FORFEITURE: ZERO_FEN };
  let interestPaid: Fen = ZERO_FEN;
  let held: Fen = ZERO_FEN;
  const byDay = new Map<string, Fen>();
  for (const line of lines) {
    const amount = fenOf(line.amount);
    sums[line.kind] = addFen(sums[line.kind], amount);
    held = INTO_THE_LOT.has(line.kind) ? addFen(held, amount) : subtractFen(held, amount);
    if (line.kind === 'REFUND' && line.interest !== undefined) interestPaid = addFen(interestPaid, fenOf(line.interest));
    if (line.kind === 'REFUND_FAILED' && line.interest !== undefined) interestPaid = subtractFen(interestPaid, fenOf(line.interest));
    if (line.kind === 'CREDIT') {
      const day = businessDateOf(line.at);
      byDay.set(day, addFen(byDay.get(day) ?? ZERO_FEN, amount));
    }
  }
  return {
    lotId,
    asOf,
    lines,
    totals: {
      credited: amountOfFen(sums.CREDIT),
      reversed: amountOfFen(sums.REVERSAL),
      refundedPrincipal: amountOfFen(subtractFen(sums.REFUND, sums.REFUND_FAILED)),
      interestPaid: amountOfFen(interestPaid),
      forfeited: amountOfFen(sums.FORFEITURE),
      held: amountOfFen(held),
    },
    receivedByDay: [...byDay].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, amount]) => ({ date, amount: amountOfFen(amount) })),
  };
}

const LINE_COLUMNS = ['at', 'kind', 'bondId', 'bidderId', 'counterpartyAccountNo', 'counterpartyName', 'counterpartyBankCode', 'amount', 'interest', 'valueDate', 'bankRef', 'refundId'];

/** Totals rows: their `kind` names the total, `amount` holds it. */
export const TOTAL_ROWS: readonly [string, keyof StatementTotals][] = [
  ['TOTAL_CREDITED', 'credited'],
  ['TOTAL_REVERSED', 'reversed'],
  ['TOTAL_REFUNDED_PRINCIPAL', 'refundedPrincipal'],
  ['TOTAL_INTEREST_PAID', 'interestPaid'],
  ['TOTAL_FORFEITED', 'forfeited'],
  ['TOTAL_HELD', 'held'],
];

/** One row per line, then one per total (`kind` TOTAL_…, the figure in `amount`). */
export function statementCsv(statement: Statement): string {
  const rows: CsvCell[][] = [LINE_COLUMNS];
  for (const line of statement.lines) {
    rows.push([
      line.at,
      line.kind,
      line.bondId,
      line.bidderId,
      line.counterparty.accountNo,
      line.counterparty.name,
      line.counterparty.bankCode,
      line.amount,
      line.interest,
      line.valueDate,
      line.bankRef,
      line.refundId,
    ]);
  }
  const amountColumn = LINE_COLUMNS.indexOf('amount');
  for (const [kind, total] of TOTAL_ROWS) {
    const row: CsvCell[] = LINE_COLUMNS.map(() => undefined);
    row[0] = statement.asOf;
    row[1] = kind;
    row[amountColumn] = statement.totals[total];
    rows.push(row);
  }
  return csvText(rows);
}
