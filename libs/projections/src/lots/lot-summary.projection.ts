import {
  BOND_EVENT_TYPES,
  type BondEvent,
  type LotRegistered,
  type LotStatus,
  type Table,
  amountOfFen,
  emptyTable,
  fenOf,
  lotStatus,
  owedAfter,
  tableChange,
  tableGet,
  tableSet,
  tableUpdate,
  tableValues,
} from '@app/domain';
import { type KnownEvent, known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

export type { LotStatus };

export interface LotVirtualAccount {
  readonly virtualAccountNo: string;
  readonly masterAccountNo: string;
  readonly bankCode: string;
  /** Only on a per-bidder account (issued by the center for a bidder it already knows). */
  readonly bidderId?: string;
}

/**
 * What is secret until bid opening (who paid, how many, how much). Kept here only so that the query
 * layer can show it once `sealed` is false; it must never be published or shown while sealed.
 */
export interface SealedLotData {
  /** Bonds with a positive principal (a bond whose every credit was reversed does not count). */
  readonly bondCount: number;
  /** Sum of the bonds' principals (refunded and forfeited bonds included: what was paid in). */
  readonly totalPrincipal: string;
  /** Bonds with a positive principal still owed to their payer (not refunded, not forfeited): the lot is SETTLED at 0. */
  readonly owedBondCount: number;
}

export interface LotSummary {
  readonly lotId: string;
  readonly centerId: string;
  readonly terms: LotRegistered['data'];
  readonly status: LotStatus;
  /** True until `BidsOpened`: the confidentiality gate. */
  readonly sealed: boolean;
  readonly depositsClosed: boolean;
  /** The award (`LotAward`): the winner as it was named, by exactly one of `winnerBidderId` and `winnerBondId`. */
  readonly award?: {
    readonly winnerBidderId?: string;
    readonly winnerBondId?: string;
    readonly contractSignedOn: string;
    readonly refundsDueBy: string;
  };
  readonly termination?: { readonly reason: string; readonly terminatedAt: string; readonly refundsDueBy: string };
  /** A refund has been instructed since the award or termination (earlier refunds of withdrawn bidders do not count). */
  readonly refundsStarted: boolean;
  readonly virtualAccounts: readonly LotVirtualAccount[];
  readonly confidential: SealedLotData;
}

/** What the counts need of one bond: its principal, and whether it is still owed (`isOwed`, followed by `owedAfter`). */
export interface LotBondState {
  readonly principal: string;
  readonly owed: boolean;
}

export interface LotSummaryModel extends Checkpointed {
  readonly lots: Table<LotSummary>;
  /** Bond id → its state, one entry per bond (not inside the lot: a lot event copies one small entry). */
  readonly bonds: Table<LotBondState>;
}

/** The lot's status by the domain's rule (`lotStatus`). */
function statusOf(lot: Omit<LotSummary, 'status'>): LotStatus {
  return lotStatus({
    depositsClosed: lot.depositsClosed,
    bidsOpened: !lot.sealed,
    awarded: lot.award !== undefined,
    terminated: lot.termination !== undefined,
    refundsStarted: lot.refundsStarted,
    owedBondCount: lot.confidential.owedBondCount,
  });
}

/** Principals are wire amounts (`formatAmount`), never negative, and zero is written "0.00" only. */
const isPositive = (principal: string) => principal !== '0.00';
const counted = (bond: LotBondState) => (isPositive(bond.principal) ? 1 : 0);
const owedAndCounted = (bond: LotBondState) => (bond.owed && isPositive(bond.principal) ? 1 : 0);

/** The model as one literal (objects.ts). */
function lotSummaryModel(lots: Table<LotSummary>, bonds: Table<LotBondState>, position: string | undefined): LotSummaryModel {
  return position === undefined ? { lots, bonds } : { lots, bonds, position };
}

/** A lot as one literal (objects.ts), field by field; the award or termination, once there is one, last. */
function lotLiteral(
  lot: LotSummary,
  status: LotStatus,
  sealed: boolean,
  depositsClosed: boolean,
  refundsStarted: boolean,
  virtualAccounts: readonly LotVirtualAccount[],
  confidential: SealedLotData,
  award: LotSummary['award'],
  termination: LotSummary['termination'],
): LotSummary {
  const made: { -readonly [field in keyof LotSummary]: LotSummary[field] } = {
    lotId: lot.lotId,
    centerId: lot.centerId,
    terms: lot.terms,
    status,
    sealed,
    depositsClosed,
    refundsStarted,
    virtualAccounts,
    confidential,
  };
  if (award !== undefined) made.award = award;
  if (termination !== undefined) made.termination = termination;
  return made;
}

/** `changes` over `lot`. */
function makeLot(lot: LotSummary, changes: Partial<LotSummary>): LotSummary {
  return lotLiteral(
    lot,
    changes.status ?? lot.status,
    changes.sealed ?? lot.sealed,
    changes.depositsClosed ?? lot.depositsClosed,
    changes.refundsStarted ?? lot.refundsStarted,
    changes.virtualAccounts ?? lot.virtualAccounts,
    changes.confidential ?? lot.confidential,
    changes.award ?? lot.award,
    changes.termination ?? lot.termination,
  );
}

/** The lot with other counts: what every bond event changes (read field by field, not from a `changes` of many shapes). */
function withConfidential(lot: LotSummary, confidential: SealedLotData): LotSummary {
  return lotLiteral(lot, lot.status, lot.sealed, lot.depositsClosed, lot.refundsStarted, lot.virtualAccounts, confidential, lot.award, lot.termination);
}

/** One lot and the bond states table, as an event of the lot changes them. */
interface LotChange {
  readonly lot: LotSummary;
  readonly bonds: Table<LotBondState>;
}

/** A bond before its first credit. */
const UNOPENED: LotBondState = { principal: '0.00', owed: false };

/**
 * Sets one bond's state as `event` leaves it (a bond credited for the first time is opened). The counts
 * and the total follow the change of that bond (exact, in fen: the same as summing every bond again).
 * One descent of the bonds table: the lot's counts are worked out inside the update.
 */
function setBond(state: LotChange, bondId: string, event: BondEvent, principal?: string): LotChange {
  let lot = state.lot;
  const update = (bond: LotBondState | undefined): LotBondState => {
    const before = bond ?? UNOPENED;
    const owed = owedAfter(bond?.owed, event);
    // A bond the event leaves as it was (a refund instructed: owed before and after) changes no count.
    if (bond && bond.owed === owed && (principal === undefined || principal === bond.principal)) return bond;
    const after: LotBondState = { principal: principal ?? before.principal, owed };
    const { bondCount, totalPrincipal, owedBondCount } = lot.confidential;
    lot = withConfidential(lot, {
      bondCount: bondCount - counted(before) + counted(after),
      totalPrincipal:
        after.principal === before.principal
          ? totalPrincipal
          : amountOfFen(fenOf(totalPrincipal) - fenOf(before.principal) + fenOf(after.principal)),
      owedBondCount: owedBondCount - owedAndCounted(before) + owedAndCounted(after),
    });
    return after;
  };
  // Only a credit opens a bond; any other event of a bond never credited changes nothing.
  const bonds = event.type === 'BondCredited' ? tableUpdate(state.bonds, bondId, update) : tableChange(state.bonds, bondId, update);
  return bonds === state.bonds ? state : { lot, bonds };
}

function setBonds(state: LotChange, bondIds: readonly string[], event: BondEvent): LotChange {
  let next = state;
  for (const bondId of bondIds) next = setBond(next, bondId, event);
  return next;
}

function applyToLot(state: LotChange, domainEvent: KnownEvent): LotChange {
  const { lot, bonds } = state;
  switch (domainEvent.type) {
    case 'DepositsClosed':
      return { lot: makeLot(lot, { depositsClosed: true }), bonds };
    case 'BidsOpened':
      return { lot: makeLot(lot, { sealed: false }), bonds };
    case 'VirtualAccountIssued': {
      const { virtualAccountNo, masterAccountNo, bankCode, bidderId } = domainEvent.data;
      if (lot.virtualAccounts.some((account) => account.virtualAccountNo === virtualAccountNo)) return state;
      const account: LotVirtualAccount = { virtualAccountNo, masterAccountNo, bankCode, ...(bidderId === undefined ? {} : { bidderId }) };
      return { lot: makeLot(lot, { virtualAccounts: [...lot.virtualAccounts, account] }), bonds };
    }
    case 'BondCredited':
    case 'CreditReversed':
    case 'SuspenseMatchVoided':
      return setBond(state, domainEvent.data.bondId, domainEvent, domainEvent.data.principalAfter);
    case 'BidderWithdrew':
      return setBonds(state, domainEvent.data.bondIds, domainEvent);
    case 'LotAwarded': {
      // HELD bonds become REFUND_DUE: owed before, owed after (`owedAfter`), so no bond entry changes.
      const { lotId: _lotId, ...award } = domainEvent.data;
      return { lot: makeLot(lot, { award }), bonds };
    }
    case 'TenderTerminated': {
      const { reason, terminatedAt, refundsDueBy } = domainEvent.data;
      return { lot: makeLot(lot, { termination: { reason, terminatedAt, refundsDueBy } }), bonds };
    }
    case 'RefundInstructed': {
      const next = setBonds(state, [domainEvent.data.bondId], domainEvent);
      const started = next.lot.refundsStarted || next.lot.award !== undefined || next.lot.termination !== undefined;
      return started === next.lot.refundsStarted ? next : { lot: makeLot(next.lot, { refundsStarted: true }), bonds: next.bonds };
    }
    case 'BondForfeited':
    case 'RefundSettled':
    case 'RefundFailed':
      return setBonds(state, [domainEvent.data.bondId], domainEvent);
    default:
      return state;
  }
}

function applyLotSummary(model: LotSummaryModel, event: ProjectionEvent): LotSummaryModel {
  const domainEvent = known(event);
  if (domainEvent.type === 'LotRegistered') {
    const terms = domainEvent.data;
    if (tableGet(model.lots, terms.lotId)) return model;
    const lot: LotSummary = {
      lotId: terms.lotId,
      centerId: terms.centerId,
      terms,
      status: 'OPEN',
      sealed: true,
      depositsClosed: false,
      refundsStarted: false,
      virtualAccounts: [],
      confidential: { bondCount: 0, totalPrincipal: '0.00', owedBondCount: 0 },
    };
    return lotSummaryModel(tableSet(model.lots, terms.lotId, lot), model.bonds, model.position);
  }
  // Only the events `applyToLot` handles are looked up.
  if (domainEvent.type === undefined || !LOT_EVENTS.has(domainEvent.type)) return model;
  const lotId = (event.data as { lotId?: unknown } | null)?.lotId;
  if (typeof lotId !== 'string') return model;
  let bonds = model.bonds;
  // One descent of the lots table for the read and the write; a lot never registered is left absent.
  const lots = tableChange(model.lots, lotId, (lot) => {
    const next = applyToLot({ lot, bonds }, domainEvent);
    if (next.lot === lot && next.bonds === bonds) return lot;
    bonds = next.bonds;
    // The status is worked out again from the lot as it now is.
    const status = statusOf(next.lot);
    return status === next.lot.status ? next.lot : makeLot(next.lot, { status });
  });
  return lots === model.lots && bonds === model.bonds ? model : lotSummaryModel(lots, bonds, model.position);
}

/** The events `applyToLot` handles: the bond events and the lot's own. */
const LOT_EVENTS: ReadonlySet<string> = new Set<string>([...BOND_EVENT_TYPES, 'DepositsClosed', 'BidsOpened', 'VirtualAccountIssued']);

export const lotSummaryProjection = defineProjection<LotSummaryModel>(
  'lot-summary',
  lotSummaryModel(emptyTable(), emptyTable(), undefined),
  applyLotSummary,
  (model, position) => lotSummaryModel(model.lots, model.bonds, position),
);

// Queries

export function lotSummaryOf(model: LotSummaryModel, lotId: string): LotSummary | undefined {
  return tableGet(model.lots, lotId);
}

/** Every lot, by lot id (a scan). */
export function allLotSummaries(model: LotSummaryModel): LotSummary[] {
  return tableValues(model.lots).sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));
}
