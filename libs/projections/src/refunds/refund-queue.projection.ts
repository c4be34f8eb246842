import { type Table, emptyTable, groupedAppend, groupedItems, tableChange, tableGet, tableSet, tableValues } from '@app/domain';
import { BOND_EVENT_TYPES, type BondEvent, type BondStatus, type Payer, isOwed, nextBondStatus } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';
import { copyWith } from '../objects';

export type RefundQueueStatus = 'INSTRUCTED' | 'SETTLED' | 'FAILED';

/** One refund instruction (`RefundInstructed`) and how it ended. A retry after a failure is another item. */
export interface RefundItem {
  readonly refundId: string;
  readonly lotId: string;
  readonly bondId: string;
  readonly bidderId?: string;
  /** 原路退回: the bond's payer account. */
  readonly payTo: Payer;
  readonly principal: string;
  readonly interest: string;
  readonly total: string;
  /** Interest runs to this day, exclusive. */
  readonly refundOn: string;
  /** The bond's legal refund date. */
  readonly dueBy: string;
  /** `refundOn` after `dueBy`: made and marked, never blocked. */
  readonly late: boolean;
  readonly attempt: number;
  readonly status: RefundQueueStatus;
  /** The outgoing payment's bank reference, once reported. */
  readonly bankRef?: string;
  /** Why the payment bounced (FAILED). */
  readonly failureReason?: string;
  /** FAILED, then redirected by an operator (RefundRedirected): the bond's next refund pays to `to`. */
  readonly redirection?: { readonly to: Payer; readonly evidenceRef: string; readonly reason: string };
  /** Global position of the instruction: the queue's order. */
  readonly instructedAt: string;
}

export interface RefundQueueModel extends Checkpointed {
  /** Refund id → item, one entry per refund (a settlement copies one item, not its lot's). */
  readonly refunds: Table<RefundItem>;
  /**
   * The ids of each lot's refunds in the order instructed, with `lotRefundCounts` (grouped-list.ts): one entry
   * per refund, so a run of 10,000 refunds copies no list per refund.
   */
  readonly byLot: Table<string>;
  /** Lot id → how many refunds it has in `byLot`. */
  readonly lotRefundCounts: Table<number>;
  /** Bond id → the bond's overdue refund (RefundOverdue), once recorded. */
  readonly overdue: Table<OverdueRefundItem>;
}

/** The model as one literal (objects.ts). */
function refundQueueModel(
  refunds: Table<RefundItem>,
  byLot: Table<string>,
  lotRefundCounts: Table<number>,
  position: string | undefined,
  overdue: Table<OverdueRefundItem>,
): RefundQueueModel {
  return position === undefined ? { refunds, byLot, lotRefundCounts, overdue } : { refunds, byLot, lotRefundCounts, overdue, position };
}

function settle(model: RefundQueueModel, refundId: string, change: Partial<RefundItem>): RefundQueueModel {
  const refunds = tableChange(model.refunds, refundId, (refund) => copyWith(refund, change));
  return refunds === model.refunds ? model : refundQueueModel(refunds, model.byLot, model.lotRefundCounts, model.position, model.overdue);
}

function applyRefundQueue(model: RefundQueueModel, event: ProjectionEvent): RefundQueueModel {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'RefundInstructed': {
      const d = domainEvent.data;
      const { refundId, lotId, bondId, bidderId, payTo, principal, interest, total, refundOn, dueBy, late, attempt } = d;
      const status = 'INSTRUCTED';
      const instructedAt = event.position.toString();
      // Literals, not a spread of the optional bidder (objects.ts): a settlement copies the item again.
      const item: RefundItem =
        bidderId === undefined
          ? { refundId, lotId, bondId, payTo, principal, interest, total, refundOn, dueBy, late, attempt, status, instructedAt }
          : { refundId, lotId, bondId, bidderId, payTo, principal, interest, total, refundOn, dueBy, late, attempt, status, instructedAt };
      const existed = tableGet(model.refunds, d.refundId) !== undefined;
      const refunds = tableSet(model.refunds, d.refundId, item);
      if (existed) return refundQueueModel(refunds, model.byLot, model.lotRefundCounts, model.position, model.overdue);
      const byLot = groupedAppend(model.byLot, model.lotRefundCounts, d.lotId, d.refundId);
      return refundQueueModel(refunds, byLot.items, byLot.counts, model.position, model.overdue);
    }
    case 'RefundSettled': {
      const { refundId, bankRef } = domainEvent.data;
      return settle(model, refundId, { status: 'SETTLED', bankRef });
    }
    case 'RefundFailed': {
      const { refundId, bankRef, reason } = domainEvent.data;
      return settle(model, refundId, { status: 'FAILED', bankRef, failureReason: reason });
    }
    case 'RefundRedirected': {
      const { refundId, to, evidenceRef, reason } = domainEvent.data;
      return settle(model, refundId, { redirection: { to, evidenceRef, reason } });
    }
    default:
      return model;
  }
}

/**
 * A bond whose refund was still owed when its limit passed (RefundOverdue, Art. 57), and how it has
 * gone since: an item of the center's and the operator's queues while `open`.
 */
export interface OverdueRefundItem {
  readonly lotId: string;
  readonly bondId: string;
  readonly bidderId?: string;
  readonly principal: string;
  readonly refundDueBy: string;
  /** When the ledger found the limit passed. */
  readonly observedAt: string;
  /** The bond's status now, by the bond's own transitions (bond.ts). */
  readonly bondStatus: BondStatus;
  /** Still owed (due, or instructed and unreported): overdue now. False once refunded or forfeited. */
  readonly open: boolean;
  /** The bond's latest refund instruction since, pending or how it ended; absent while none. */
  readonly refundId?: string;
  /** Global position of the RefundOverdue: the order of the overdue items. */
  readonly overdueAt: string;
}

const BOND_EVENTS: ReadonlySet<string> = new Set(BOND_EVENT_TYPES);

function withOverdue(model: RefundQueueModel, overdue: Table<OverdueRefundItem>): RefundQueueModel {
  return overdue === model.overdue ? model : refundQueueModel(model.refunds, model.byLot, model.lotRefundCounts, model.position, overdue);
}

/** Records a RefundOverdue, and follows an overdue bond through its later events. */
function applyOverdue(model: RefundQueueModel, event: ProjectionEvent): RefundQueueModel {
  const domainEvent = known(event);
  if (domainEvent.type === 'RefundOverdue') {
    const d = domainEvent.data;
    const bondStatus: BondStatus = d.instructionPending ? 'REFUND_PENDING' : 'REFUND_DUE';
    const item: OverdueRefundItem = {
      lotId: d.lotId,
      bondId: d.bondId,
      ...(d.bidderId === undefined ? {} : { bidderId: d.bidderId }),
      principal: d.principal,
      refundDueBy: d.refundDueBy,
      observedAt: d.observedAt,
      bondStatus,
      open: isOwed(bondStatus),
      ...(d.refundId === undefined ? {} : { refundId: d.refundId }),
      overdueAt: event.position.toString(),
    };
    return withOverdue(model, tableSet(model.overdue, d.bondId, item));
  }
  if (domainEvent.type === undefined || !BOND_EVENTS.has(domainEvent.type) || !('bondId' in domainEvent.data)) return model;
  const bondEvent = domainEvent as BondEvent & { data: { bondId: string } };
  return withOverdue(
    model,
    tableChange(model.overdue, bondEvent.data.bondId, (item) => {
      const bondStatus = nextBondStatus(item.bondStatus, bondEvent);
      const refundId = bondEvent.type === 'RefundInstructed' ? bondEvent.data.refundId : item.refundId;
      return copyWith(item, { bondStatus, open: isOwed(bondStatus), ...(refundId === undefined ? {} : { refundId }) });
    }),
  );
}

export const refundQueueProjection = defineProjection<RefundQueueModel>(
  'refund-queue',
  refundQueueModel(emptyTable(), emptyTable(), emptyTable(), undefined, emptyTable()),
  (model, event) => applyOverdue(applyRefundQueue(model, event), event),
  (model, position) => refundQueueModel(model.refunds, model.byLot, model.lotRefundCounts, position, model.overdue),
);

// Queries

export interface RefundFilter {
  readonly lotId?: string | undefined;
  readonly status?: RefundQueueStatus | undefined;
}

const byInstruction = (a: RefundItem, b: RefundItem) => {
  const order = BigInt(a.instructedAt) - BigInt(b.instructedAt);
  return order < 0n ? -1 : order > 0n ? 1 : 0;
};

/**
 * Refunds in the order they were instructed, filtered by lot and/or status. With a lot id this reads
 * one lot's refunds; without, it scans every refund (fine for an operator's queue, O(all refunds)).
 */
export function refundsOf(model: RefundQueueModel, filter: RefundFilter = {}): RefundItem[] {
  const refunds =
    filter.lotId === undefined
      ? tableValues(model.refunds)
      : groupedItems(model.byLot, model.lotRefundCounts, filter.lotId).map((refundId) => tableGet(model.refunds, refundId)!);
  return refunds.filter((refund) => filter.status === undefined || refund.status === filter.status).sort(byInstruction);
}

export function refundOf(model: RefundQueueModel, refundId: string): RefundItem | undefined {
  return tableGet(model.refunds, refundId);
}

/**
 * Overdue refunds in the order recorded, of one lot or all: by default only those still owed (the
 * queue); `all` also lists the ones refunded or forfeited since. O(overdue items): few.
 */
export function overdueRefundsOf(model: RefundQueueModel, filter: { readonly lotId?: string | undefined; readonly all?: boolean } = {}): OverdueRefundItem[] {
  return tableValues(model.overdue)
    .filter((item) => (filter.lotId === undefined || item.lotId === filter.lotId) && (filter.all === true || item.open))
    .sort((a, b) => {
      const order = BigInt(a.overdueAt) - BigInt(b.overdueAt);
      return order < 0n ? -1 : order > 0n ? 1 : 0;
    });
}
