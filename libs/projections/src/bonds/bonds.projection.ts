import { amountFlag, type BondStatus, type CreditFlag, emptyTable, type LotRegistered, type Payer, type Table, tableChange, tableGet, tableSet, tableValues } from '@app/domain';
import { type KnownEvent, known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

/**
 * Bonds: one per lot, bidder and payer account, exactly as the lot decider keeps them (`evolveLot`):
 * principal, tranches (interest counts per tranche from its value date), status, flags, due date —
 * plus what a reader wants and the decider does not keep: the withdrawal, the refunds so far and
 * whether one was late, the forfeiture.
 *
 * The model holds every bond in full: confidentiality (nothing before bid opening but a bidder's own
 * bond) is the query layer's filter, using the lot summary's `sealed`.
 */

export interface BondTranche {
  readonly creditId: string;
  readonly amount: string;
  readonly valueDate: string;
  readonly virtualAccountNo: string;
  readonly bankCode: string;
}

export type RefundStatus = 'INSTRUCTED' | 'SETTLED' | 'FAILED';

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

export interface Bond {
  readonly lotId: string;
  readonly bondId: string;
  readonly bidderId?: string;
  /** The account the bond came from and is refunded to (原路退回). */
  readonly payer: Payer;
  /** Sum of the tranches; "0.00" once every credit of the bond has been reversed. */
  readonly principal: string;
  readonly tranches: readonly BondTranche[];
  readonly status: BondStatus;
  readonly flags: readonly CreditFlag[];
  /** Withdrawn after the deposit deadline (Art. 35): the center may keep it. */
  readonly forfeitable: boolean;
  /** The legal refund date (withdrawal notice + 5 days, contract + 5 days, or the termination day). */
  readonly refundDueBy?: string;
  readonly withdrawal?: { readonly noticeReceivedAt: string; readonly beforeDeadline: boolean };
  /** Every refund instruction of the bond, in order; failed ones stay listed. */
  readonly refunds: readonly BondRefund[];
  /** Some refund of this bond was instructed after its due date (made and marked, never blocked). */
  readonly refundedLate: boolean;
  readonly forfeiture?: { readonly reason: string; readonly amount: string };
}

/** What the bonds model keeps of a lot: its terms (the amount flags need `bondAmount`) and which bonds it has. */
export interface LotBonds {
  readonly lotId: string;
  readonly terms: LotRegistered['data'];
  /** The lot's bond ids in the order they were first credited (a copy per new bond: lots have tens to hundreds). */
  readonly bondIds: readonly string[];
}

/**
 * Bonds are kept one entry per bond, not inside their lot's record, so an event of a lot copies the one
 * bond it changes (and a path of the table), never the lot's other bonds.
 */
export interface BondsModel extends Checkpointed {
  /** Lot id → the lot's terms and bond ids. */
  readonly lots: Table<LotBonds>;
  /** Bond id → bond. */
  readonly bonds: Table<Bond>;
}

/** The model as one literal (objects.ts). */
function bondsModel(lots: Table<LotBonds>, bonds: Table<Bond>, position: string | undefined): BondsModel {
  return position === undefined ? { lots, bonds } : { lots, bonds, position };
}

/**
 * A bond as one literal (objects.ts), `changes` over `bond`: the required fields in the interface's
 * order, then those of the optional ones that are set (a model holds no undefined values).
 */
function makeBond(bond: Bond, changes: Partial<Bond> = {}): Bond {
  const made: { -readonly [field in keyof Bond]: Bond[field] } = {
    lotId: bond.lotId,
    bondId: bond.bondId,
    payer: bond.payer,
    principal: changes.principal ?? bond.principal,
    tranches: changes.tranches ?? bond.tranches,
    status: changes.status ?? bond.status,
    flags: changes.flags ?? bond.flags,
    forfeitable: changes.forfeitable ?? bond.forfeitable,
    refunds: changes.refunds ?? bond.refunds,
    refundedLate: changes.refundedLate ?? bond.refundedLate,
  };
  const bidderId = changes.bidderId ?? bond.bidderId;
  const refundDueBy = changes.refundDueBy ?? bond.refundDueBy;
  const withdrawal = changes.withdrawal ?? bond.withdrawal;
  const forfeiture = changes.forfeiture ?? bond.forfeiture;
  if (bidderId !== undefined) made.bidderId = bidderId;
  if (refundDueBy !== undefined) made.refundDueBy = refundDueBy;
  if (withdrawal !== undefined) made.withdrawal = withdrawal;
  if (forfeiture !== undefined) made.forfeiture = forfeiture;
  return made;
}

/** The same flags rule as the decider: NOT_BASIC_ACCOUNT sticks, the amount flag follows the principal. */
function flagsFor(notBasic: boolean, principal: string, bondAmount: string): CreditFlag[] {
  const amount = amountFlag(principal, bondAmount);
  return [...(notBasic ? (['NOT_BASIC_ACCOUNT'] as CreditFlag[]) : []), ...(amount ? [amount] : [])];
}

/** The bond with `changes(bond)` applied, if the model has it. */
function updateBond(model: BondsModel, bondId: string, changes: (bond: Bond) => Partial<Bond>): BondsModel {
  const bonds = tableChange(model.bonds, bondId, (bond) => makeBond(bond, changes(bond)));
  return bonds === model.bonds ? model : bondsModel(model.lots, bonds, model.position);
}

function refundsWith(bond: Bond, refundId: string, status: RefundStatus): BondRefund[] {
  return bond.refunds.map((refund) => (refund.refundId === refundId ? { ...refund, status } : refund));
}

/** HELD bonds become REFUND_DUE by `dueBy`; an earlier due date (a withdrawal's) is kept. */
function heldBecomeRefundable(model: BondsModel, lot: LotBonds, dueBy: string): BondsModel {
  let bonds = model.bonds;
  for (const bondId of lot.bondIds) {
    bonds = tableChange(bonds, bondId, (bond) => (bond.status === 'HELD' ? makeBond(bond, { status: 'REFUND_DUE', refundDueBy: bond.refundDueBy ?? dueBy }) : bond));
  }
  return bondsModel(model.lots, bonds, model.position);
}

function removeTranche(model: BondsModel, lot: LotBonds, bondId: string, creditId: string, principalAfter: string): BondsModel {
  return updateBond(model, bondId, (bond) => ({
    principal: principalAfter,
    tranches: bond.tranches.filter((tranche) => tranche.creditId !== creditId),
    flags: flagsFor(bond.flags.includes('NOT_BASIC_ACCOUNT'), principalAfter, lot.terms.bondAmount),
  }));
}

function credit(model: BondsModel, lot: LotBonds, d: Extract<KnownEvent, { type: 'BondCredited' }>['data']): BondsModel {
  const existing = tableGet(model.bonds, d.bondId);
  const tranche: BondTranche = {
    creditId: d.creditId,
    amount: d.amount,
    valueDate: d.valueDate,
    virtualAccountNo: d.virtualAccountNo,
    bankCode: d.bankCode,
  };
  const notBasic = (existing?.flags.includes('NOT_BASIC_ACCOUNT') ?? false) || d.flags.includes('NOT_BASIC_ACCOUNT');
  const flags = flagsFor(notBasic, d.principalAfter, lot.terms.bondAmount);
  if (existing) {
    // The bidder is part of the bond's id (`bondIdFor`): a later credit names the same one.
    const bond = makeBond(existing, { principal: d.principalAfter, tranches: [...existing.tranches, tranche], flags });
    return bondsModel(model.lots, tableSet(model.bonds, d.bondId, bond), model.position);
  }
  const bond = makeBond({
    lotId: lot.lotId,
    bondId: d.bondId,
    ...(d.bidderId === undefined ? {} : { bidderId: d.bidderId }),
    payer: d.payer,
    principal: d.principalAfter,
    tranches: [tranche],
    status: d.refundDueBy === undefined ? 'HELD' : 'REFUND_DUE',
    ...(d.refundDueBy === undefined ? {} : { refundDueBy: d.refundDueBy }),
    flags,
    forfeitable: false,
    refunds: [],
    refundedLate: false,
  });
  const lots = tableSet(model.lots, lot.lotId, { lotId: lot.lotId, terms: lot.terms, bondIds: [...lot.bondIds, d.bondId] });
  return bondsModel(lots, tableSet(model.bonds, d.bondId, bond), model.position);
}

function applyToLot(model: BondsModel, lot: LotBonds, domainEvent: KnownEvent): BondsModel {
  switch (domainEvent.type) {
    case 'BondCredited':
      return credit(model, lot, domainEvent.data);
    case 'CreditReversed':
    case 'SuspenseMatchVoided':
      return removeTranche(model, lot, domainEvent.data.bondId, domainEvent.data.creditId, domainEvent.data.principalAfter);
    case 'BidderWithdrew': {
      const d = domainEvent.data;
      let next = model;
      for (const bondId of d.bondIds) {
        next = updateBond(next, bondId, () => {
          const withdrawal = { noticeReceivedAt: d.noticeReceivedAt, beforeDeadline: d.beforeDeadline };
          return d.beforeDeadline && d.refundDueBy !== undefined
            ? { withdrawal, status: 'REFUND_DUE', refundDueBy: d.refundDueBy }
            : { withdrawal, forfeitable: true };
        });
      }
      return next;
    }
    case 'LotAwarded':
    case 'TenderTerminated':
      return heldBecomeRefundable(model, lot, domainEvent.data.refundsDueBy);
    case 'BondForfeited': {
      const { reason, amount } = domainEvent.data;
      return updateBond(model, domainEvent.data.bondId, () => ({ status: 'FORFEITED', forfeiture: { reason, amount } }));
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
      return updateBond(model, d.bondId, (bond) => ({
        status: 'REFUND_PENDING',
        refunds: [...bond.refunds, refund],
        refundedLate: bond.refundedLate || d.late,
      }));
    }
    case 'RefundSettled':
      return updateBond(model, domainEvent.data.bondId, (bond) => ({ refunds: refundsWith(bond, domainEvent.data.refundId, 'SETTLED'), status: 'REFUNDED' }));
    case 'RefundFailed':
      return updateBond(model, domainEvent.data.bondId, (bond) => ({ refunds: refundsWith(bond, domainEvent.data.refundId, 'FAILED'), status: 'REFUND_DUE' }));
    default:
      return model;
  }
}

function applyBonds(model: BondsModel, event: ProjectionEvent): BondsModel {
  const domainEvent = known(event);
  if (domainEvent.type === 'LotRegistered') {
    const terms = domainEvent.data;
    if (tableGet(model.lots, terms.lotId)) return model;
    return bondsModel(tableSet(model.lots, terms.lotId, { lotId: terms.lotId, terms, bondIds: [] }), model.bonds, model.position);
  }
  const lotId = (event.data as { lotId?: unknown }).lotId;
  const lot = typeof lotId === 'string' ? tableGet(model.lots, lotId) : undefined;
  return lot ? applyToLot(model, lot, domainEvent) : model;
}

export const bondsProjection = defineProjection<BondsModel>('bonds', bondsModel(emptyTable(), emptyTable(), undefined), applyBonds, (model, position) =>
  bondsModel(model.lots, model.bonds, position),
);

// Queries

/** A bond by id. */
export function bondOf(model: BondsModel, bondId: string): Bond | undefined {
  return tableGet(model.bonds, bondId);
}

/** A lot's bonds in the order they were first credited; undefined for a lot never registered. */
export function bondsOfLot(model: BondsModel, lotId: string): Bond[] | undefined {
  return tableGet(model.lots, lotId)?.bondIds.map((bondId) => tableGet(model.bonds, bondId)!);
}

/** The lot's terms as registered, for `bondView`. */
export function lotTermsOf(model: BondsModel, lotId: string): LotRegistered['data'] | undefined {
  return tableGet(model.lots, lotId)?.terms;
}

/** Every bond of every lot (a scan; for auditors and tests), lot by lot. */
export function allBonds(model: BondsModel): Bond[] {
  return tableValues(model.lots).flatMap((lot) => lot.bondIds.map((bondId) => tableGet(model.bonds, bondId)!));
}
