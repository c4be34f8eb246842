import { type Table, emptyTable, tableDelete, tableGet, tableSet, tableValues } from '@app/domain';
import type { Channel, CreditFlag, InboundCreditReceived, Payer, SuspenseReason } from '@app/domain';
import { known } from '../known-events';
import { type Checkpointed, type ProjectionEvent, defineProjection } from '../projection';

export type SuspenseStatus = 'SUSPENDED' | 'MATCHED' | 'RETURNED' | 'REVERSED';

export type SuspenseResolution =
  | {
      readonly action: 'MATCH';
      readonly lotId: string;
      readonly bondId: string;
      readonly bidderId?: string;
      readonly virtualAccountNo: string;
      readonly flags: readonly CreditFlag[];
    }
  | { readonly action: 'RETURN'; readonly returnTo: Payer };

/** A bond credit a MATCH made out of this suspended money (`BondCredited`, source SUSPENSE, in the lot). */
export interface SuspenseLotCredit {
  readonly lotId: string;
  readonly bondId: string;
  readonly virtualAccountNo: string;
  /** `SuspenseMatchVoided`: the match lost a race, the money went back to suspense. */
  readonly voided: boolean;
  /** `CreditReversed`: the bank reported the credit as not settled; the money left the bond for clearing. */
  readonly reversed: boolean;
}

export interface SuspenseItem {
  readonly creditId: string;
  readonly bankRef: string;
  readonly reason: SuspenseReason;
  /** The receiving bank, whose `suspense:{bankCode}` holds the money. */
  readonly bankCode: string;
  readonly amount: string;
  readonly currency: string;
  readonly channel: Channel;
  readonly payer: Payer;
  /** The payee number as received (the unknown or mistyped virtual account number). */
  readonly payeeAccountNo: string;
  readonly remittanceInfo?: string;
  readonly receivedAt: string;
  readonly valueDate: string;
  /** The credit stream's word on where the money is: SUSPENDED until a resolution or a reversal. */
  readonly status: SuspenseStatus;
  /** The operator's resolution, once recorded. */
  readonly resolution?: SuspenseResolution;
  /** The bank's report that the credit did not settle. */
  readonly reversal?: { readonly reason: string; readonly fromSuspense: boolean };
  readonly lotCredits: readonly SuspenseLotCredit[];
  /**
   * The ledger's word: the money sits in `suspense:{bankCode}` now (suspended, not returned, not reversed
   * out of suspense, no live bond credit made from it). Normally `status === 'SUSPENDED'`; it also is
   * while a MATCH is between its lot append and its credit-stream append, and it would show a MATCHED
   * credit whose bond credit was voided.
   */
  readonly inSuspense: boolean;
  /** Global position of `CreditSuspended`: the list's order. */
  readonly suspendedAt: string;
}

export interface SuspenseModel extends Checkpointed {
  /**
   * `InboundCreditReceived` waiting for its outcome event (the next event of the same append): the
   * outcome events do not repeat payer, dates or channel. Emptied again by the outcome.
   */
  readonly awaitingOutcome: Table<InboundCreditReceived['data']>;
  /** Credit id → every credit that has ever been in suspense. */
  readonly items: Table<SuspenseItem>;
}

/** The model as one literal (objects.ts). */
function suspenseModel(awaitingOutcome: Table<InboundCreditReceived['data']>, items: Table<SuspenseItem>, position: string | undefined): SuspenseModel {
  return position === undefined ? { awaitingOutcome, items } : { awaitingOutcome, items, position };
}

function withInSuspense(item: Omit<SuspenseItem, 'inSuspense'> & { inSuspense?: boolean }): SuspenseItem {
  const leftSuspense =
    item.status === 'RETURNED' ||
    (item.reversal?.fromSuspense ?? false) ||
    item.lotCredits.some((credit) => !credit.voided);
  return { ...item, inSuspense: !leftSuspense };
}

function updateItem(model: SuspenseModel, creditId: string, update: (item: SuspenseItem) => Omit<SuspenseItem, 'inSuspense'>): SuspenseModel {
  const item = tableGet(model.items, creditId);
  return item ? suspenseModel(model.awaitingOutcome, tableSet(model.items, creditId, withInSuspense(update(item))), model.position) : model;
}

function updateLotCredit(item: SuspenseItem, lotId: string, change: Partial<SuspenseLotCredit>): SuspenseItem {
  return { ...item, lotCredits: item.lotCredits.map((credit) => (credit.lotId === lotId ? { ...credit, ...change } : credit)) };
}

function applySuspense(model: SuspenseModel, event: ProjectionEvent): SuspenseModel {
  const domainEvent = known(event);
  switch (domainEvent.type) {
    case 'InboundCreditReceived':
      return suspenseModel(tableSet(model.awaitingOutcome, domainEvent.data.creditId, domainEvent.data), model.items, model.position);
    case 'CreditClassified':
    case 'CreditReturned':
      return suspenseModel(tableDelete(model.awaitingOutcome, domainEvent.data.creditId), model.items, model.position);
    case 'CreditSuspended': {
      const { creditId, reason, bankCode, amount } = domainEvent.data;
      const received = tableGet(model.awaitingOutcome, creditId);
      if (!received || tableGet(model.items, creditId)) return model;
      const item = withInSuspense({
        creditId,
        bankRef: received.bankRef,
        reason,
        bankCode,
        amount,
        currency: received.currency,
        channel: received.channel,
        payer: received.payer,
        payeeAccountNo: received.payeeAccountNo,
        ...(received.remittanceInfo === undefined ? {} : { remittanceInfo: received.remittanceInfo }),
        receivedAt: received.receivedAt,
        valueDate: received.valueDate,
        status: 'SUSPENDED',
        lotCredits: [],
        suspendedAt: event.position.toString(),
      });
      return suspenseModel(tableDelete(model.awaitingOutcome, creditId), tableSet(model.items, creditId, item), model.position);
    }
    case 'BondCredited': {
      const { source, creditId, lotId, bondId, virtualAccountNo } = domainEvent.data;
      if (source !== 'SUSPENSE') return model;
      return updateItem(model, creditId, (item) => ({
        ...item,
        lotCredits: [...item.lotCredits, { lotId, bondId, virtualAccountNo, voided: false, reversed: false }],
      }));
    }
    case 'SuspenseMatchVoided':
      return updateItem(model, domainEvent.data.creditId, (item) => updateLotCredit(item, domainEvent.data.lotId, { voided: true }));
    case 'CreditReversed':
      return updateItem(model, domainEvent.data.creditId, (item) => updateLotCredit(item, domainEvent.data.lotId, { reversed: true }));
    case 'SuspenseMatched': {
      const { creditId, lotId, bondId, bidderId, virtualAccountNo, flags } = domainEvent.data;
      const resolution: SuspenseResolution = {
        action: 'MATCH',
        lotId,
        bondId,
        ...(bidderId === undefined ? {} : { bidderId }),
        virtualAccountNo,
        flags,
      };
      return updateItem(model, creditId, (item) => ({ ...item, status: 'MATCHED', resolution }));
    }
    case 'SuspenseReturned': {
      const { creditId, returnTo } = domainEvent.data;
      return updateItem(model, creditId, (item) => ({ ...item, status: 'RETURNED', resolution: { action: 'RETURN', returnTo } }));
    }
    case 'InboundCreditReversed': {
      const { creditId, reason, postings } = domainEvent.data;
      return updateItem(model, creditId, (item) => ({ ...item, status: 'REVERSED', reversal: { reason, fromSuspense: postings !== undefined } }));
    }
    default:
      return model;
  }
}

export const suspenseProjection = defineProjection<SuspenseModel>(
  'suspense',
  suspenseModel(emptyTable(), emptyTable(), undefined),
  applySuspense,
  (model, position) => suspenseModel(model.awaitingOutcome, model.items, position),
);

// Queries

export interface SuspenseFilter {
  readonly status?: SuspenseStatus | undefined;
  readonly bankCode?: string | undefined;
  /** Only credits whose money is in suspense now (`inSuspense`). */
  readonly inSuspense?: boolean;
}

/** Credits that went to suspense, in the order they did, filtered (a scan of every suspended credit). */
export function suspenseItems(model: SuspenseModel, filter: SuspenseFilter = {}): SuspenseItem[] {
  return tableValues(model.items)
    .filter(
      (item) =>
        (filter.status === undefined || item.status === filter.status) &&
        (filter.bankCode === undefined || item.bankCode === filter.bankCode) &&
        (filter.inSuspense === undefined || item.inSuspense === filter.inSuspense),
    )
    .sort((a, b) => {
      const order = BigInt(a.suspendedAt) - BigInt(b.suspendedAt);
      return order < 0n ? -1 : order > 0n ? 1 : 0;
    });
}

export function suspenseItemOf(model: SuspenseModel, creditId: string): SuspenseItem | undefined {
  return tableGet(model.items, creditId);
}
