import { type Payer, lotIdOf } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';
import { type Table, emptyTable, own, tableGet, tableSet, tableUpdate, tableValues, withEntry } from '../table';

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
  /** Lot id → refund id → item. */
  readonly lots: Table<{ readonly [refundId: string]: RefundItem }>;
}

function settle(model: RefundQueueModel, lotId: string, refundId: string, change: Partial<RefundItem>): RefundQueueModel {
  const refunds = tableGet(model.lots, lotId);
  const refund = refunds && own(refunds, refundId);
  if (!refund) return model;
  return { ...model, lots: tableSet(model.lots, lotId, withEntry(refunds, refundId, { ...refund, ...change })) };
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
      return { ...model, lots: tableUpdate(model.lots, d.lotId, (refunds) => withEntry(refunds ?? {}, d.refundId, item)) };
    }
    case 'RefundSettled': {
      const { lotId, refundId, bankRef } = domainEvent.data;
      return settle(model, lotId, refundId, { status: 'SETTLED', bankRef });
    }
    case 'RefundFailed': {
      const { lotId, refundId, bankRef, reason } = domainEvent.data;
      return settle(model, lotId, refundId, { status: 'FAILED', bankRef, failureReason: reason });
    }
    default:
      return model;
  }
}

export const refundQueueProjection = defineProjection<RefundQueueModel>('refund-queue', { lots: emptyTable() }, applyRefundQueue);

// Queries

export interface RefundFilter {
  readonly lotId?: string;
  readonly status?: RefundQueueStatus;
}

const byInstruction = (a: RefundItem, b: RefundItem) => {
  const order = BigInt(a.instructedAt) - BigInt(b.instructedAt);
  return order < 0n ? -1 : order > 0n ? 1 : 0;
};

/**
 * Refunds in the order they were instructed, filtered by lot and/or status. With a lot id this reads
 * one lot; without, it scans every lot (fine for an operator's queue, O(all refunds)).
 */
export function refundsOf(model: RefundQueueModel, filter: RefundFilter = {}): RefundItem[] {
  const lots = filter.lotId === undefined ? tableValues(model.lots) : [tableGet(model.lots, filter.lotId) ?? {}];
  return lots
    .flatMap((refunds) => Object.values(refunds))
    .filter((refund) => filter.status === undefined || refund.status === filter.status)
    .sort(byInstruction);
}

/** A refund by id (the id carries its lot: `lotIdOf`). */
export function refundOf(model: RefundQueueModel, refundId: string): RefundItem | undefined {
  const lotId = lotIdOf(refundId, 'R');
  const refunds = lotId === undefined ? undefined : tableGet(model.lots, lotId);
  return refunds && own(refunds, refundId);
}
