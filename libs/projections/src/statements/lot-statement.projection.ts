import {
  type DayCount,
  type Fen,
  type Payer,
  type Posting,
  type RateEntry,
  type Table,
  ZERO_FEN,
  addFen,
  amountOfFen,
  emptyTable,
  fenOf,
  groupedAppend,
  groupedChange,
  groupedItems,
  groupedLength,
  subtractFen,
  tableChange,
  tableGet,
  tableSet,
} from '@app/domain';
import { known } from '../known-events';
import { copyWith } from '../objects';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/**
 * A lot's statement (对账单): every movement of the lot's money, in the order the ledger recorded it —
 * each credit (`BondCredited`), each credit that left again (`CreditReversed`, and the legacy
 * `SuspenseMatchVoided`), each refund instructed (`RefundInstructed`) and each that bounced back
 * (`RefundFailed`), each forfeiture (`BondForfeited`). A line's `amount` is what its postings move in or out
 * of the lot's virtual accounts (the ledger's own figure, not the event's narrative), so the lines' sum is
 * by construction what the balances model holds for the lot's accounts.
 *
 * Also kept: each refund's day count and rates (the refund list prints them; the refund queue does not
 * keep them), and each bond's payer and bidder (a reversal or a forfeiture names only the bond).
 *
 * Like the bonds model, this holds every lot's lines in full: what a caller may see of them is the query
 * layer's decision (the seal, `sealedDataAccess`).
 */

export type StatementLineKind = 'CREDIT' | 'REVERSAL' | 'REFUND' | 'REFUND_FAILED' | 'FORFEITURE';

export interface StatementCounterparty {
  readonly accountNo: string;
  readonly name?: string;
  readonly bankCode: string;
}

export interface StatementLine {
  /**
   * When: a credit's receipt at the bank (`receivedAt`); otherwise when the ledger recorded the movement
   * (the event's `recordedAt`).
   */
  readonly at: string;
  readonly kind: StatementLineKind;
  readonly bondId: string;
  readonly bidderId?: string;
  /**
   * The other side: the payer for a credit and its reversal, the account paid for a refund and its
   * failure, the payer whose bond it was for a forfeiture (the money went to the center).
   */
  readonly counterparty: StatementCounterparty;
  /** Into (CREDIT, REFUND_FAILED) or out of (REVERSAL, REFUND, FORFEITURE) the lot's virtual accounts: principal only. */
  readonly amount: string;
  /** REFUND: the interest paid on top (the bank's expense); REFUND_FAILED: the interest that came back. */
  readonly interest?: string;
  /** CREDIT: the value date; REFUND: `refundOn`; REFUND_FAILED: `failedOn` (absent on a version-1 failure). */
  readonly valueDate?: string;
  /** CREDIT, REVERSAL, REFUND_FAILED: the bank's reference; REFUND: the outgoing payment's, once reported. */
  readonly bankRef?: string;
  readonly refundId?: string;
}

/** What the refund list prints of an instruction besides the refund queue's item. */
export interface StatementRefund {
  readonly lotId: string;
  readonly bondId: string;
  readonly payTo: Payer;
  readonly interest: string;
  readonly dayCount: DayCount;
  readonly rates: readonly RateEntry[];
  /** The index of its REFUND line in the lot's lines. */
  readonly line: number;
}

export interface StatementBond {
  readonly payer: Payer;
  readonly bidderId?: string;
}

export interface LotStatementModel extends Checkpointed {
  /** Each lot's lines in the order recorded, with `lineCounts` (grouped-list.ts): a lot's new line copies no other. */
  readonly lines: Table<StatementLine>;
  /** Lot id → how many lines it has. */
  readonly lineCounts: Table<number>;
  /** Refund id → what its instruction said. */
  readonly refunds: Table<StatementRefund>;
  /** Bond id → its payer and (current) bidder. */
  readonly bonds: Table<StatementBond>;
}

/** The model as one literal (objects.ts). */
function statementModel(
  lines: Table<StatementLine>,
  lineCounts: Table<number>,
  refunds: Table<StatementRefund>,
  bonds: Table<StatementBond>,
  position: string | undefined,
): LotStatementModel {
  return position === undefined ? { lines, lineCounts, refunds, bonds } : { lines, lineCounts, refunds, bonds, position };
}

/** The change the postings make to the virtual accounts (liabilities: credits add, debits take away). */
function virtualAccountsChange(postings: readonly Posting[]): Fen {
  let change = ZERO_FEN;
  for (const posting of postings) {
    if (!posting.account.startsWith('virtual:')) continue;
    change = posting.side === 'CREDIT' ? addFen(change, fenOf(posting.amount)) : subtractFen(change, fenOf(posting.amount));
  }
  return change;
}

const magnitude = (fen: Fen): string => amountOfFen(fen < ZERO_FEN ? -fen : fen);

function counterpartyOf(payer: Payer): StatementCounterparty {
  return { accountNo: payer.accountNo, name: payer.name, bankCode: payer.bankCode };
}

/** `at`: the event's `recordedAt` (the store stamps it on every append). */
function recordedAt(event: ProjectionEvent): string {
  return event.metadata?.recordedAt ?? '';
}

function appendLine(model: LotStatementModel, lotId: string, line: StatementLine, refunds = model.refunds, bonds = model.bonds): LotStatementModel {
  const lines = groupedAppend(model.lines, model.lineCounts, lotId, line);
  return statementModel(lines.items, lines.counts, refunds, bonds, model.position);
}

/** A line for a bond known to the model (a reversal, a forfeiture); the bond's payer is the counterparty. */
function bondLine(model: LotStatementModel, bondId: string, fields: Omit<StatementLine, 'bondId' | 'counterparty' | 'bidderId'>): StatementLine | undefined {
  const bond = tableGet(model.bonds, bondId);
  if (bond === undefined) return undefined;
  return { ...fields, bondId, ...(bond.bidderId === undefined ? {} : { bidderId: bond.bidderId }), counterparty: counterpartyOf(bond.payer) };
}

function applyStatement(model: LotStatementModel, event: ProjectionEvent): LotStatementModel {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'BondCredited': {
      const d = domainEvent.data;
      const bonds = tableGet(model.bonds, d.bondId)
        ? model.bonds
        : tableSet(model.bonds, d.bondId, d.bidderId === undefined ? { payer: d.payer } : { payer: d.payer, bidderId: d.bidderId });
      // Literals, not a spread of the optional bidder (objects.ts).
      const counterparty = counterpartyOf(d.payer);
      const amount = magnitude(virtualAccountsChange(d.postings));
      const line: StatementLine =
        d.bidderId === undefined
          ? { at: d.receivedAt, kind: 'CREDIT', bondId: d.bondId, counterparty, amount, valueDate: d.valueDate, bankRef: d.bankRef }
          : { at: d.receivedAt, kind: 'CREDIT', bondId: d.bondId, bidderId: d.bidderId, counterparty, amount, valueDate: d.valueDate, bankRef: d.bankRef };
      return appendLine(model, d.lotId, line, model.refunds, bonds);
    }
    case 'CreditReversed':
    case 'SuspenseMatchVoided': {
      const d = domainEvent.data;
      const bankRef = domainEvent.type === 'CreditReversed' ? { bankRef: domainEvent.data.bankRef } : {};
      const line = bondLine(model, d.bondId, { at: recordedAt(event), kind: 'REVERSAL', amount: magnitude(virtualAccountsChange(d.postings)), ...bankRef });
      return line === undefined ? model : appendLine(model, d.lotId, line);
    }
    case 'BondForfeited': {
      const d = domainEvent.data;
      const line = bondLine(model, d.bondId, { at: recordedAt(event), kind: 'FORFEITURE', amount: magnitude(virtualAccountsChange(d.postings)) });
      return line === undefined ? model : appendLine(model, d.lotId, line);
    }
    case 'RefundInstructed': {
      const d = domainEvent.data;
      const at = recordedAt(event);
      const counterparty = counterpartyOf(d.payTo);
      const amount = magnitude(virtualAccountsChange(d.postings));
      const line: StatementLine =
        d.bidderId === undefined
          ? { at, kind: 'REFUND', bondId: d.bondId, counterparty, amount, interest: d.interest, valueDate: d.refundOn, refundId: d.refundId }
          : { at, kind: 'REFUND', bondId: d.bondId, bidderId: d.bidderId, counterparty, amount, interest: d.interest, valueDate: d.refundOn, refundId: d.refundId };
      const refund: StatementRefund = {
        lotId: d.lotId,
        bondId: d.bondId,
        payTo: d.payTo,
        interest: d.interest,
        dayCount: d.dayCount,
        rates: d.rates.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })),
        line: groupedLength(model.lineCounts, d.lotId),
      };
      return appendLine(model, d.lotId, line, tableSet(model.refunds, d.refundId, refund));
    }
    case 'RefundSettled': {
      const { refundId, bankRef } = domainEvent.data;
      const refund = tableGet(model.refunds, refundId);
      if (refund === undefined) return model;
      const lines = groupedChange(model.lines, refund.lotId, refund.line, (line) => copyWith(line, { bankRef }));
      return statementModel(lines, model.lineCounts, model.refunds, model.bonds, model.position);
    }
    case 'RefundFailed': {
      const d = domainEvent.data;
      const refund = tableGet(model.refunds, d.refundId);
      if (refund === undefined) return model;
      const bond = tableGet(model.bonds, d.bondId);
      const line: StatementLine = {
        at: recordedAt(event),
        kind: 'REFUND_FAILED',
        bondId: d.bondId,
        ...(bond?.bidderId === undefined ? {} : { bidderId: bond.bidderId }),
        counterparty: counterpartyOf(refund.payTo),
        amount: magnitude(virtualAccountsChange(d.postings)),
        interest: refund.interest,
        ...(d.failedOn === undefined ? {} : { valueDate: d.failedOn }),
        bankRef: d.bankRef,
        refundId: d.refundId,
      };
      return appendLine(model, d.lotId, line);
    }
    case 'BondAttributed': {
      const { bondId, bidderId } = domainEvent.data;
      const bonds = tableChange(model.bonds, bondId, (bond): StatementBond => ({ payer: bond.payer, bidderId }));
      return bonds === model.bonds ? model : statementModel(model.lines, model.lineCounts, model.refunds, bonds, model.position);
    }
    default:
      return model;
  }
}

export const lotStatementProjection = defineProjection<LotStatementModel>(
  'lot-statements',
  statementModel(emptyTable(), emptyTable(), emptyTable(), emptyTable(), undefined),
  applyStatement,
  (model, position) => statementModel(model.lines, model.lineCounts, model.refunds, model.bonds, position),
);

// Queries

/**
 * The lot's lines in the order recorded, each naming its bond's bidder as known now (a bond attributed
 * after its credit names its bidder on every line); an empty list for a lot with no movement.
 */
export function statementLinesOf(model: LotStatementModel, lotId: string): StatementLine[] {
  return groupedItems(model.lines, model.lineCounts, lotId).map((line) => {
    const bidderId = tableGet(model.bonds, line.bondId)?.bidderId;
    return bidderId === undefined || line.bidderId === bidderId ? line : copyWith(line, { bidderId });
  });
}

/** What a refund's instruction said: its day count and rates among others. */
export function statementRefundOf(model: LotStatementModel, refundId: string): StatementRefund | undefined {
  return tableGet(model.refunds, refundId);
}
