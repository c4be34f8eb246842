import { type Table, emptyTable, tableChange, tableGet, tableSet, tableUpdate, tableValues } from '@app/domain';
import type { Payer } from '@app/domain';
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
  /** Global position of the instruction: the queue's order. */
  readonly instructedAt: string;
}

export interface RefundQueueModel extends Checkpointed {
  /** Refund id → item, one entry per refund (a settlement copies one item, not its lot's). */
  readonly refunds: Table<RefundItem>;
  /** Lot id → the lot's refund ids, in the order instructed. */
  readonly byLot: Table<readonly string[]>;
}

/** The model as one literal (objects.ts). */
function refundQueueModel(refunds: Table<RefundItem>, byLot: Table<readonly string[]>, position: string | undefined): RefundQueueModel {
  return position === undefined ? { refunds, byLot } : { refunds, byLot, position };
}

function settle(model: RefundQueueModel, refundId: string, change: Partial<RefundItem>): RefundQueueModel {
  const refunds = tableChange(model.refunds, refundId, (refund) => copyWith(refund, change));
  return refunds === model.refunds ? model : refundQueueModel(refunds, model.byLot, model.position);
}

function applyRefundQueue(model: RefundQueueModel, event: ProjectionEvent): RefundQueueModel {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'RefundInstructed': {
      const d = domainEvent.data;
      const item: RefundItem = {
        refundId: d.refundId,
        lotId: d.lotId,
        bondId: d.bondId,
        ...(d.bidderId === undefined ? {} : { bidderId: d.bidderId }),
        payTo: d.payTo,
        principal: d.principal,
        interest: d.interest,
        total: d.total,
        refundOn: d.refundOn,
        dueBy: d.dueBy,
        late: d.late,
        attempt: d.attempt,
        status: 'INSTRUCTED',
        instructedAt: event.position.toString(),
      };
      const refunds = tableSet(model.refunds, d.refundId, item);
      if (tableGet(model.refunds, d.refundId)) return refundQueueModel(refunds, model.byLot, model.position);
      return refundQueueModel(refunds, tableUpdate(model.byLot, d.lotId, (ids) => [...(ids ?? []), d.refundId]), model.position);
    }
    case 'RefundSettled': {
      const { refundId, bankRef } = domainEvent.data;
      return settle(model, refundId, { status: 'SETTLED', bankRef });
    }
    case 'RefundFailed': {
      const { refundId, bankRef, reason } = domainEvent.data;
      return settle(model, refundId, { status: 'FAILED', bankRef, failureReason: reason });
    }
    default:
      return model;
  }
}

export const refundQueueProjection = defineProjection<RefundQueueModel>(
  'refund-queue',
  refundQueueModel(emptyTable(), emptyTable(), undefined),
  applyRefundQueue,
  (model, position) => refundQueueModel(model.refunds, model.byLot, position),
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
      : (tableGet(model.byLot, filter.lotId) ?? []).map((refundId) => tableGet(model.refunds, refundId)!);
  return refunds.filter((refund) => filter.status === undefined || refund.status === filter.status).sort(byInstruction);
}

export function refundOf(model: RefundQueueModel, refundId: string): RefundItem | undefined {
  return tableGet(model.refunds, refundId);
}
