import { type BondStatus, Decimal, type LotRegistered, addAmounts, compareAmounts, formatAmount, subtractAmounts } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';
import { type Table, emptyTable, own, tableGet, tableSet, tableValues, withEntry, withUpdates } from '../table';

export type LotStatus = 'OPEN' | 'DEPOSITS_CLOSED' | 'BIDS_OPENED' | 'AWARDED' | 'TERMINATED' | 'REFUNDING' | 'SETTLED';

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
  /** Bond id → what the lot status needs of it. */
  readonly bonds: { readonly [bondId: string]: { readonly principal: string; readonly status: BondStatus } };
}

export interface LotSummary {
  readonly lotId: string;
  readonly centerId: string;
  readonly terms: LotRegistered['data'];
  readonly status: LotStatus;
  /** True until `BidsOpened`: the confidentiality gate. */
  readonly sealed: boolean;
  readonly depositsClosed: boolean;
  readonly award?: { readonly winnerBidderId: string; readonly contractSignedOn: string; readonly refundsDueBy: string };
  readonly termination?: { readonly reason: string; readonly terminatedAt: string; readonly refundsDueBy: string };
  /** A refund has been instructed since the award or termination (earlier refunds of withdrawn bidders do not count). */
  readonly refundsStarted: boolean;
  readonly virtualAccounts: readonly LotVirtualAccount[];
  readonly confidential: SealedLotData;
}

export interface LotSummaryModel extends Checkpointed {
  readonly lots: Table<LotSummary>;
}

const OWED: readonly BondStatus[] = ['HELD', 'REFUND_DUE', 'REFUND_PENDING'];

/**
 * OPEN → DEPOSITS_CLOSED → BIDS_OPENED → AWARDED, or TERMINATED from any of those; then REFUNDING
 * from the first refund instructed after the award or termination, and SETTLED once no bond is owed any
 * more (each refunded, forfeited or emptied by reversals). A failed refund makes a SETTLED lot
 * REFUNDING again. A terminated lot nobody paid for stays TERMINATED.
 */
function statusOf(lot: Omit<LotSummary, 'status'>): LotStatus {
  if (lot.award || lot.termination) {
    if (!lot.refundsStarted) return lot.award ? 'AWARDED' : 'TERMINATED';
    const owed = Object.values(lot.confidential.bonds).some(
      (bond) => OWED.includes(bond.status) && compareAmounts(Decimal(bond.principal), Decimal('0')) > 0,
    );
    return owed ? 'REFUNDING' : 'SETTLED';
  }
  if (!lot.sealed) return 'BIDS_OPENED';
  return lot.depositsClosed ? 'DEPOSITS_CLOSED' : 'OPEN';
}

const isPositive = (principal: string) => compareAmounts(Decimal(principal), Decimal('0')) > 0;

/**
 * Sets one bond's entry. The count and the total follow the change of that bond's principal (exact
 * decimal arithmetic, so the same as summing every bond again, without the O(bonds) pass per credit).
 */
function setBond(lot: LotSummary, bondId: string, change: { principal?: string; status?: BondStatus }): LotSummary {
  const bond = own(lot.confidential.bonds, bondId) ?? { principal: '0.00', status: 'HELD' as const };
  const after = { ...bond, ...change };
  const { bondCount, totalPrincipal } = lot.confidential;
  return {
    ...lot,
    confidential: {
      bondCount: bondCount - (isPositive(bond.principal) ? 1 : 0) + (isPositive(after.principal) ? 1 : 0),
      totalPrincipal:
        after.principal === bond.principal
          ? totalPrincipal
          : formatAmount(addAmounts(subtractAmounts(Decimal(totalPrincipal), Decimal(bond.principal)), Decimal(after.principal))),
      bonds: withEntry(lot.confidential.bonds, bondId, after),
    },
  };
}

function setStatuses(lot: LotSummary, bondIds: readonly string[], status: (current: BondStatus) => BondStatus): LotSummary {
  const bonds = withUpdates(lot.confidential.bonds, bondIds, (bond) => ({ ...bond, status: status(bond.status) }));
  return { ...lot, confidential: { ...lot.confidential, bonds } };
}

function applyToLot(lot: LotSummary, event: ProjectionEvent): LotSummary {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'DepositsClosed':
      return { ...lot, depositsClosed: true };
    case 'BidsOpened':
      return { ...lot, sealed: false };
    case 'VirtualAccountIssued': {
      const { virtualAccountNo, masterAccountNo, bankCode, bidderId } = domainEvent.data;
      if (lot.virtualAccounts.some((account) => account.virtualAccountNo === virtualAccountNo)) return lot;
      const account: LotVirtualAccount = { virtualAccountNo, masterAccountNo, bankCode, ...(bidderId === undefined ? {} : { bidderId }) };
      return { ...lot, virtualAccounts: [...lot.virtualAccounts, account] };
    }
    case 'BondCredited':
    case 'CreditReversed':
    case 'SuspenseMatchVoided':
      return setBond(lot, domainEvent.data.bondId, { principal: domainEvent.data.principalAfter });
    case 'BidderWithdrew': {
      const { beforeDeadline, bondIds } = domainEvent.data;
      return beforeDeadline ? setStatuses(lot, bondIds, () => 'REFUND_DUE') : lot;
    }
    case 'LotAwarded': {
      const { winnerBidderId, contractSignedOn, refundsDueBy } = domainEvent.data;
      const awarded = { ...lot, award: { winnerBidderId, contractSignedOn, refundsDueBy } };
      return setStatuses(awarded, Object.keys(lot.confidential.bonds), (status) => (status === 'HELD' ? 'REFUND_DUE' : status));
    }
    case 'TenderTerminated': {
      const { reason, terminatedAt, refundsDueBy } = domainEvent.data;
      const terminated = { ...lot, termination: { reason, terminatedAt, refundsDueBy } };
      return setStatuses(terminated, Object.keys(lot.confidential.bonds), (status) => (status === 'HELD' ? 'REFUND_DUE' : status));
    }
    case 'BondForfeited':
      return setStatuses(lot, [domainEvent.data.bondId], () => 'FORFEITED');
    case 'RefundInstructed': {
      const next = setStatuses(lot, [domainEvent.data.bondId], () => 'REFUND_PENDING');
      return { ...next, refundsStarted: next.refundsStarted || next.award !== undefined || next.termination !== undefined };
    }
    case 'RefundSettled':
      return setStatuses(lot, [domainEvent.data.bondId], () => 'REFUNDED');
    case 'RefundFailed':
      return setStatuses(lot, [domainEvent.data.bondId], () => 'REFUND_DUE');
    default:
      return lot;
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
      confidential: { bondCount: 0, totalPrincipal: '0.00', bonds: {} },
    };
    return { ...model, lots: tableSet(model.lots, terms.lotId, lot) };
  }
  const lotId = (event.data as { lotId?: unknown } | null)?.lotId;
  const lot = typeof lotId === 'string' ? tableGet(model.lots, lotId) : undefined;
  if (!lot) return model;
  const next = applyToLot(lot, event);
  if (next === lot) return model;
  return { ...model, lots: tableSet(model.lots, lot.lotId, { ...next, status: statusOf(next) }) };
}

export const lotSummaryProjection = defineProjection<LotSummaryModel>('lot-summary', { lots: emptyTable() }, applyLotSummary);

// Queries

export function lotSummaryOf(model: LotSummaryModel, lotId: string): LotSummary | undefined {
  return tableGet(model.lots, lotId);
}

/** Every lot, by lot id (a scan). */
export function allLotSummaries(model: LotSummaryModel): LotSummary[] {
  return tableValues(model.lots).sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));
}
