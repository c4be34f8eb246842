import {
  BOND_EVENT_TYPES,
  type BondChange,
  type BondEvent,
  type BondFacts,
  type BondTranche,
  type LotRegistered,
  type RefundStatus,
  type Table,
  bondChange,
  emptyTable,
  groupedAppend,
  groupedItems,
  openedBond,
  tableChange,
  tableGet,
  tableSet,
  tableValues,
} from '@app/domain';
import { type KnownEvent, known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/**
 * Bonds: one per lot, bidder and payer account, changed by the lot's own bond transitions (`openedBond`,
 * `bondChange` of @app/domain, as the lot decider's `evolveLot`): principal, tranches (interest counts per
 * tranche from its value date), status, flags, due date — plus what a reader wants and the decider does
 * not keep: the withdrawal, the refunds so far and whether one was late, the forfeiture.
 *
 * The model holds every bond in full: confidentiality (nothing before bid opening but a bidder's own
 * bond) is the query layer's filter, using the lot summary's `sealed`.
 */

export type { BondTranche, RefundStatus };

export interface BondRefund {
  readonly refundId: string;
  readonly attempt: number;
  readonly refundOn: string;
  readonly dueBy: string;
  readonly late: boolean;
  readonly principal: string;
  readonly interest: string;
  readonly total: string;
  readonly status: RefundStatus;
}

/** A bond as the lot's rules leave it (`BondFacts`), and what readers want besides. */
export interface Bond extends BondFacts {
  readonly lotId: string;
  readonly withdrawal?: { readonly noticeReceivedAt: string; readonly beforeDeadline: boolean };
  /** Every refund instruction of the bond, in order; failed ones stay listed. */
  readonly refunds: readonly BondRefund[];
  /** Some refund of this bond was instructed after its due date (made and marked, never blocked). */
  readonly refundedLate: boolean;
  readonly forfeiture?: { readonly reason: string; readonly amount: string };
}

/** What the bonds model keeps of a lot: its terms (the amount flags need `bondAmount`). */
export interface LotBonds {
  readonly lotId: string;
  readonly terms: LotRegistered['data'];
}

/**
 * Bonds are kept one entry per bond, not inside their lot's record, so an event of a lot copies the one
 * bond it changes (and a path of the table), never the lot's other bonds.
 */
export interface BondsModel extends Checkpointed {
  /** Lot id → the lot's terms. */
  readonly lots: Table<LotBonds>;
  /** Bond id → bond. */
  readonly bonds: Table<Bond>;
  /**
   * The ids of each lot's bonds in the order first credited, with `lotBondCounts` (grouped-list.ts): one
   * entry per bond, so a new bond in a lot of 10,000 copies (and snapshots) no list of the other 9,999.
   */
  readonly lotBondIds: Table<string>;
  /** Lot id → how many bonds it has in `lotBondIds`. */
  readonly lotBondCounts: Table<number>;
}

/** The model as one literal (objects.ts). */
function bondsModel(lots: Table<LotBonds>, bonds: Table<Bond>, lotBondIds: Table<string>, lotBondCounts: Table<number>, position: string | undefined): BondsModel {
  return position === undefined ? { lots, bonds, lotBondIds, lotBondCounts } : { lots, bonds, lotBondIds, lotBondCounts, position };
}

/** The ids of the lot's bonds, in the order first credited. */
function bondIdsOf(model: BondsModel, lotId: string): string[] {
  return groupedItems(model.lotBondIds, model.lotBondCounts, lotId);
}

/** What an event changes of the reader's own fields. */
type ReaderChange = { -readonly [field in 'withdrawal' | 'refunds' | 'refundedLate' | 'forfeiture']?: Bond[field] };

const UNCHANGED: BondChange & ReaderChange = {};

/**
 * A bond as one literal (objects.ts): the lot's `change` and the reader's over `bond`, the required fields
 * in the interface's order, then those of the optional ones that are set (a model holds no undefined
 * values). The two changes are read apart, not merged: a spread of two objects is slow to read from.
 */
function makeBond(bond: Bond, change: BondChange = UNCHANGED, reader: ReaderChange = UNCHANGED): Bond {
  const made: { -readonly [field in keyof Bond]: Bond[field] } = {
    lotId: bond.lotId,
    bondId: bond.bondId,
    payer: bond.payer,
    principal: change.principal ?? bond.principal,
    tranches: change.tranches ?? bond.tranches,
    status: change.status ?? bond.status,
    flags: change.flags ?? bond.flags,
    forfeitable: change.forfeitable ?? bond.forfeitable,
    refunds: reader.refunds ?? bond.refunds,
    refundedLate: reader.refundedLate ?? bond.refundedLate,
  };
  const bidderId = change.bidderId ?? bond.bidderId;
  const refundDueBy = change.refundDueBy ?? bond.refundDueBy;
  const forfeitureGround = change.forfeitureGround ?? bond.forfeitureGround;
  const refundableSince = change.refundableSince ?? bond.refundableSince;
  const withdrawal = reader.withdrawal ?? bond.withdrawal;
  const forfeiture = reader.forfeiture ?? bond.forfeiture;
  const refundTo = change.refundTo ?? bond.refundTo;
  if (bidderId !== undefined) made.bidderId = bidderId;
  if (refundDueBy !== undefined) made.refundDueBy = refundDueBy;
  if (forfeitureGround !== undefined) made.forfeitureGround = forfeitureGround;
  if (refundableSince !== undefined) made.refundableSince = refundableSince;
  if (refundTo !== undefined) made.refundTo = refundTo;
  if (withdrawal !== undefined) made.withdrawal = withdrawal;
  if (forfeiture !== undefined) made.forfeiture = forfeiture;
  return made;
}

function refundsWith(bond: Bond, refundId: string, status: RefundStatus): BondRefund[] {
  return bond.refunds.map((refund) => (refund.refundId === refundId ? { ...refund, status } : refund));
}

/** The lot's own change of a bond (`bondChange`), with `extra` for the reader's fields. */
function changeBond(model: BondsModel, lot: LotBonds, bondId: string, event: BondEvent, extra?: (bond: Bond) => ReaderChange): BondsModel {
  const bonds = tableChange(model.bonds, bondId, (bond) => makeBond(bond, bondChange(bond, event, lot.terms.bondAmount), extra?.(bond)));
  return bonds === model.bonds ? model : bondsModel(model.lots, bonds, model.lotBondIds, model.lotBondCounts, model.position);
}

/** An award or a termination: every bond of the lot goes through it (the held ones become refundable). */
function changeEveryBond(model: BondsModel, lot: LotBonds, event: BondEvent & { type: 'LotAwarded' | 'TenderTerminated' }): BondsModel {
  let bonds = model.bonds;
  for (const bondId of bondIdsOf(model, lot.lotId)) {
    bonds = tableChange(bonds, bondId, (bond) => {
      const change = bondChange(bond, event, lot.terms.bondAmount);
      return change ? makeBond(bond, change) : bond;
    });
  }
  return bonds === model.bonds ? model : bondsModel(model.lots, bonds, model.lotBondIds, model.lotBondCounts, model.position);
}

function credit(model: BondsModel, lot: LotBonds, event: BondEvent & { type: 'BondCredited' }): BondsModel {
  const d = event.data;
  if (tableGet(model.bonds, d.bondId)) return changeBond(model, lot, d.bondId, event);
  const bond = makeBond({ lotId: lot.lotId, ...openedBond(d, lot.terms.bondAmount), refunds: [], refundedLate: false });
  const lotBonds = groupedAppend(model.lotBondIds, model.lotBondCounts, lot.lotId, d.bondId);
  return bondsModel(model.lots, tableSet(model.bonds, d.bondId, bond), lotBonds.items, lotBonds.counts, model.position);
}

function applyToLot(model: BondsModel, lot: LotBonds, domainEvent: KnownEvent): BondsModel {
  switch (domainEvent.type) {
    case 'BondCredited':
      return credit(model, lot, domainEvent);
    case 'CreditReversed':
    case 'SuspenseMatchVoided':
      return changeBond(model, lot, domainEvent.data.bondId, domainEvent);
    case 'BidderWithdrew': {
      const d = domainEvent.data;
      const withdrawal = { noticeReceivedAt: d.noticeReceivedAt, beforeDeadline: d.beforeDeadline };
      let next = model;
      for (const bondId of d.bondIds) next = changeBond(next, lot, bondId, domainEvent, () => ({ withdrawal }));
      return next;
    }
    case 'WinnerRefusedToSign': {
      let next = model;
      for (const bondId of domainEvent.data.bondIds) next = changeBond(next, lot, bondId, domainEvent);
      return next;
    }
    case 'LotAwarded':
    case 'TenderTerminated':
      return changeEveryBond(model, lot, domainEvent);
    case 'BondForfeited': {
      const { reason, amount } = domainEvent.data;
      return changeBond(model, lot, domainEvent.data.bondId, domainEvent, () => ({ forfeiture: { reason, amount } }));
    }
    case 'RefundInstructed': {
      const d = domainEvent.data;
      const refund: BondRefund = {
        refundId: d.refundId,
        attempt: d.attempt,
        refundOn: d.refundOn,
        dueBy: d.dueBy,
        late: d.late,
        principal: d.principal,
        interest: d.interest,
        total: d.total,
        status: 'INSTRUCTED',
      };
      return changeBond(model, lot, d.bondId, domainEvent, (bond) => ({ refunds: [...bond.refunds, refund], refundedLate: bond.refundedLate || d.late }));
    }
    case 'RefundSettled':
      return changeBond(model, lot, domainEvent.data.bondId, domainEvent, (bond) => ({ refunds: refundsWith(bond, domainEvent.data.refundId, 'SETTLED') }));
    case 'RefundFailed':
      return changeBond(model, lot, domainEvent.data.bondId, domainEvent, (bond) => ({ refunds: refundsWith(bond, domainEvent.data.refundId, 'FAILED') }));
    case 'BondAttributed':
    case 'RefundRedirected':
      return changeBond(model, lot, domainEvent.data.bondId, domainEvent);
    default:
      return model;
  }
}

function applyBonds(model: BondsModel, event: ProjectionEvent): BondsModel {
  const domainEvent = known(event);
  if (domainEvent.type === 'LotRegistered') {
    const terms = domainEvent.data;
    if (tableGet(model.lots, terms.lotId)) return model;
    return bondsModel(tableSet(model.lots, terms.lotId, { lotId: terms.lotId, terms }), model.bonds, model.lotBondIds, model.lotBondCounts, model.position);
  }
  // Only a bond event changes a bond: other events of a lot are not looked up.
  if (domainEvent.type === undefined || !BOND_EVENTS.has(domainEvent.type)) return model;
  const lotId = (event.data as { lotId?: unknown }).lotId;
  const lot = typeof lotId === 'string' ? tableGet(model.lots, lotId) : undefined;
  return lot ? applyToLot(model, lot, domainEvent) : model;
}

const BOND_EVENTS: ReadonlySet<string> = new Set(BOND_EVENT_TYPES);

export const bondsProjection = defineProjection<BondsModel>('bonds', bondsModel(emptyTable(), emptyTable(), emptyTable(), emptyTable(), undefined), applyBonds, (model, position) =>
  bondsModel(model.lots, model.bonds, model.lotBondIds, model.lotBondCounts, position),
);

// Queries

/** A bond by id. */
export function bondOf(model: BondsModel, bondId: string): Bond | undefined {
  return tableGet(model.bonds, bondId);
}

/** A lot's bonds in the order they were first credited; undefined for a lot never registered. */
export function bondsOfLot(model: BondsModel, lotId: string): Bond[] | undefined {
  const lot = tableGet(model.lots, lotId);
  return lot && bondIdsOf(model, lotId).map((bondId) => tableGet(model.bonds, bondId)!);
}

/** The lot's terms as registered, for `bondView`. */
export function lotTermsOf(model: BondsModel, lotId: string): LotRegistered['data'] | undefined {
  return tableGet(model.lots, lotId)?.terms;
}

/** Every bond of every lot (a scan; for auditors and tests), lot by lot. */
export function allBonds(model: BondsModel): Bond[] {
  return tableValues(model.lots).flatMap((lot) => bondIdsOf(model, lot.lotId).map((bondId) => tableGet(model.bonds, bondId)!));
}
