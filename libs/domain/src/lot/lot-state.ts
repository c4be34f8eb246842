import { type OrderedTable, type Table, emptyOrderedTable, emptyTable, orderedGet, orderedSet, orderedValues, tableGet, tableSet } from '../collections';
import type { Posting } from '../ledger';
import { unreachable } from '../decider';
import { type BondChange, type BondEvent, type BondFacts, bondChange, openedBond } from './bond';
import type { CreditFlag, CreditSource, LotAward, LotEvent, LotRefusalReason, LotRegistered, Payer } from './lot-events';

/** A bond as the lot decider keeps it: the facts the lot's rules decide (bond.ts), and the count that numbers its refunds. */
export interface BondState extends BondFacts {
  /** Refund instructions made so far, failed ones included: numbers the next refund id. */
  readonly refundAttempts: number;
  /** The due date a RefundOverdue was recorded for: once per bond and due date (refund-overdue.ts). */
  readonly overdueFor?: string;
}

export interface CreditRecord {
  bondId: string;
  bankRef: string;
  requestHash: string;
  amount: string;
  source: CreditSource;
  virtualAccountNo: string;
  bankCode: string;
  flags: CreditFlag[];
  /** BondCredited.anchorRevision (-1 for a match written before version 2, which had no request event). */
  anchorRevision: number;
  /** Reversed by the bank or voided as a lost suspense match: its money has left the bond. */
  removed: boolean;
  removedBy?: 'REVERSAL' | 'VOID';
}

/** A credit the lot refused (CreditRefused), for the anchor revision it answered. */
export interface CreditRefusal {
  anchorRevision: number;
  reason: LotRefusalReason;
}

export type RefundStatus = 'INSTRUCTED' | 'SETTLED' | 'FAILED';

export interface RefundRecord {
  refundId: string;
  bondId: string;
  status: RefundStatus;
  bankRef?: string;
  /** The account the instruction paid to (RefundRedirected's `from`). */
  payTo: Payer;
  postings: Posting[];
}

/** What a lot has recorded beyond its terms; all empty before its registration (no lot event comes before it). */
interface LotFacts {
  depositsClosed: boolean;
  bidsOpened: boolean;
  award?: LotAward;
  termination?: { reason: string; terminatedAt: string; refundsDueBy: string };
  /** Terminated, or refunds made after the award: new money is returned (LOT_CLOSED). */
  closedToCredits: boolean;
  withdrawals: Record<string, { beforeDeadline: boolean }>;
  /** Bidders that refused to sign the contract (Art. 74), with the day: they cannot be awarded the lot. */
  signingRefusals: Record<string, { refusedOn: string }>;
  /** Bond id → bond, listed in the order the lot opened them; a table, so a credit costs the same in a lot of 10 bonds or 10,000. */
  bonds: OrderedTable<BondState>;
  /** Every credit the lot took, by credit id; a table, as a busy lot takes thousands (copying a record per credit grew quadratically). */
  credits: Table<CreditRecord>;
  /** The last refusal of each credit the lot refused, by credit id. */
  refusals: Table<CreditRefusal>;
  /** Refund id → refund, in the order instructed. */
  refunds: OrderedTable<RefundRecord>;
}

/** No LotRegistered yet: every command but RegisterLot finds no lot. `terms` is there to be asked (`lot.terms?.centerId`). */
export interface UnregisteredLot extends LotFacts {
  readonly terms?: undefined;
}

export interface RegisteredLot extends LotFacts {
  readonly terms: LotRegistered['data'];
}

/** A lot's stream folded: narrowed by `terms` (`if (!state.terms)` leaves the unregistered lot). */
export type LotState = UnregisteredLot | RegisteredLot;

export const initialLotState: UnregisteredLot = {
  depositsClosed: false,
  bidsOpened: false,
  closedToCredits: false,
  withdrawals: {},
  signingRefusals: {},
  bonds: emptyOrderedTable(),
  credits: emptyTable(),
  refusals: emptyTable(),
  refunds: emptyOrderedTable(),
};

/** The lot's bond `bondId`, if it opened one. */
export function lotBond(state: LotState, bondId: string): BondState | undefined {
  return orderedGet(state.bonds, bondId);
}

/** Every bond of the lot, in the order it opened them. */
export function lotBonds(state: LotState): BondState[] {
  return orderedValues(state.bonds);
}

/** The lot's refund `refundId`, if it instructed one. */
export function lotRefund(state: LotState, refundId: string): RefundRecord | undefined {
  return orderedGet(state.refunds, refundId);
}

/** Every refund the lot instructed, in order. */
export function lotRefunds(state: LotState): RefundRecord[] {
  return orderedValues(state.refunds);
}

/** The bond a credit the lot took went into: the lot opened it with that credit, so it is there. */
export function bondOfCredit(state: LotState, credit: CreditRecord): BondState {
  const bond = lotBond(state, credit.bondId);
  if (!bond) throw new RangeError(`lot state: credit into bond ${credit.bondId}, which the lot has not opened`);
  return bond;
}

function withBond(state: RegisteredLot, bond: BondState): RegisteredLot {
  return { ...state, bonds: orderedSet(state.bonds, bond.bondId, bond) };
}

/** `bondId`'s bond changed by `event` (bond.ts); `extra` for the count only the decider keeps. */
function changeBond(state: RegisteredLot, bondId: string, event: BondEvent, extra?: Pick<BondState, 'refundAttempts'>): RegisteredLot {
  const bond = lotBond(state, bondId);
  if (!bond) throw new RangeError(`lot event ${event.type} names bond ${bondId}, which the lot has not opened`);
  const change: BondChange | undefined = bondChange(bond, event, state.terms.bondAmount);
  return change || extra ? withBond(state, { ...bond, ...change, ...extra }) : state;
}

/** Takes a credit's money out of its bond (reversal or voided match). */
function removeCredit(state: RegisteredLot, event: BondEvent & { type: 'CreditReversed' | 'SuspenseMatchVoided' }, removedBy: 'REVERSAL' | 'VOID'): RegisteredLot {
  const { creditId, bondId } = event.data;
  const credit = tableGet(state.credits, creditId);
  if (!credit) throw new RangeError(`lot event ${event.type} names credit ${creditId}, which the lot has not taken`);
  const next = changeBond(state, bondId, event);
  return { ...next, credits: tableSet(next.credits, creditId, { ...credit, removed: true, removedBy }) };
}

/** An award or a termination: every bond of the lot goes through it (the held ones become refundable). */
function changeEveryBond(state: RegisteredLot, event: BondEvent & { type: 'LotAwarded' | 'TenderTerminated' }): RegisteredLot {
  let next = state;
  for (const { bondId } of lotBonds(state)) next = changeBond(next, bondId, event);
  return next;
}

/** The lot after `event`. Every event but LotRegistered follows the registration: one before it is a corrupt stream (RangeError). */
export function evolveLot(state: LotState, event: LotEvent): LotState {
  if (event.type === 'LotRegistered') return { ...state, terms: event.data };
  if (!state.terms) throw new RangeError(`lot event ${event.type} before the lot was registered`);
  return evolveRegisteredLot(state, event);
}

function evolveRegisteredLot(state: RegisteredLot, event: Exclude<LotEvent, LotRegistered>): RegisteredLot {
  switch (event.type) {
    case 'DepositsClosed':
      return { ...state, depositsClosed: true };
    case 'BidsOpened':
      return { ...state, bidsOpened: true };
    case 'BondCredited': {
      const d = event.data;
      const existing = lotBond(state, d.bondId);
      const next = existing
        ? changeBond(state, d.bondId, event)
        : withBond(state, { ...openedBond(d, state.terms.bondAmount), refundAttempts: 0 });
      const credit: CreditRecord = {
        bondId: d.bondId,
        bankRef: d.bankRef,
        requestHash: d.requestHash,
        amount: d.amount,
        source: d.source,
        virtualAccountNo: d.virtualAccountNo,
        bankCode: d.bankCode,
        flags: d.flags,
        anchorRevision: d.anchorRevision ?? (d.source === 'INBOUND' ? 0 : -1),
        removed: false,
      };
      return { ...next, credits: tableSet(next.credits, d.creditId, credit) };
    }
    case 'CreditRefused': {
      const { creditId, anchorRevision, reason } = event.data;
      return { ...state, refusals: tableSet(state.refusals, creditId, { anchorRevision, reason }) };
    }
    case 'CreditReversed':
      return removeCredit(state, event, 'REVERSAL');
    case 'SuspenseMatchVoided':
      return removeCredit(state, event, 'VOID');
    case 'BidderWithdrew': {
      const d = event.data;
      let next: RegisteredLot = { ...state, withdrawals: { ...state.withdrawals, [d.bidderId]: { beforeDeadline: d.beforeDeadline } } };
      for (const bondId of d.bondIds) next = changeBond(next, bondId, event);
      return next;
    }
    case 'WinnerRefusedToSign': {
      const d = event.data;
      let next: RegisteredLot = { ...state, signingRefusals: { ...state.signingRefusals, [d.bidderId]: { refusedOn: d.refusedOn } } };
      for (const bondId of d.bondIds) next = changeBond(next, bondId, event);
      return next;
    }
    case 'LotAwarded': {
      const { lotId: _lotId, ...award } = event.data;
      return changeEveryBond({ ...state, award }, event);
    }
    case 'TenderTerminated': {
      const { reason, terminatedAt, refundsDueBy } = event.data;
      return changeEveryBond({ ...state, termination: { reason, terminatedAt, refundsDueBy }, closedToCredits: true }, event);
    }
    case 'BondForfeited':
      return changeBond(state, event.data.bondId, event);
    case 'RefundInstructed': {
      const d = event.data;
      const attempts = lotBond(state, d.bondId)?.refundAttempts ?? 0;
      const next = changeBond(state, d.bondId, event, { refundAttempts: attempts + 1 });
      return {
        ...next,
        closedToCredits: next.closedToCredits || next.award !== undefined,
        refunds: orderedSet(next.refunds, d.refundId, { refundId: d.refundId, bondId: d.bondId, status: 'INSTRUCTED', payTo: d.payTo, postings: d.postings }),
      };
    }
    case 'RefundSettled':
    case 'RefundFailed': {
      const d = event.data;
      const next = changeBond(state, d.bondId, event);
      const refund = lotRefund(next, d.refundId);
      if (!refund) throw new RangeError(`lot event ${event.type} names refund ${d.refundId}, which the lot has not instructed`);
      const status = event.type === 'RefundSettled' ? 'SETTLED' : 'FAILED';
      return { ...next, refunds: orderedSet(next.refunds, d.refundId, { ...refund, status, bankRef: d.bankRef }) };
    }
    case 'BondAttributed':
    case 'RefundRedirected':
      return changeBond(state, event.data.bondId, event);
    case 'RefundOverdue': {
      const { bondId, refundDueBy } = event.data;
      const bond = lotBond(state, bondId);
      if (!bond) throw new RangeError(`lot event RefundOverdue names bond ${bondId}, which the lot has not opened`);
      return withBond(state, { ...bond, overdueFor: refundDueBy });
    }
    case 'SealedLotAsked':
      return state;
    default:
      return unreachable(event);
  }
}
