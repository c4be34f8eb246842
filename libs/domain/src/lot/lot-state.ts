import { type Table, emptyTable, tableGet, tableSet } from '../collections';
import { Decimal, compareAmounts } from '../money';
import type { Posting } from '../ledger';
import type { CreditFlag, CreditSource, LotEvent, LotRefusalReason, LotRegistered, Payer } from './lot-events';

export type BondStatus = 'HELD' | 'REFUND_DUE' | 'REFUND_PENDING' | 'REFUNDED' | 'FORFEITED';

/** One credit's money inside a bond: interest counts per tranche from its value date. */
export interface BondTranche {
  creditId: string;
  amount: string;
  valueDate: string;
  virtualAccountNo: string;
  bankCode: string;
}

export interface BondState {
  bondId: string;
  bidderId?: string;
  payer: Payer;
  principal: string;
  tranches: BondTranche[];
  status: BondStatus;
  /** Withdrawn after the deadline (Art. 35): the center may keep the bond. */
  forfeitable: boolean;
  refundDueBy?: string;
  flags: CreditFlag[];
  /** Refund instructions made so far, failed ones included: numbers the next refund id. */
  refundAttempts: number;
  pendingRefundId?: string;
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

export interface RefundRecord {
  refundId: string;
  bondId: string;
  status: 'INSTRUCTED' | 'SETTLED' | 'FAILED';
  bankRef?: string;
  postings: Posting[];
}

export interface LotState {
  terms?: LotRegistered['data'];
  depositsClosed: boolean;
  bidsOpened: boolean;
  award?: { winnerBidderId: string; contractSignedOn: string; refundsDueBy: string };
  termination?: { reason: string; terminatedAt: string; refundsDueBy: string };
  /** Terminated, or refunds made after the award: new money is returned (LOT_CLOSED). */
  closedToCredits: boolean;
  withdrawals: Record<string, { beforeDeadline: boolean }>;
  bonds: Record<string, BondState>;
  /** Every credit the lot took, by credit id; a table, as a busy lot takes thousands (copying a record per credit grew quadratically). */
  credits: Table<CreditRecord>;
  /** The last refusal of each credit the lot refused, by credit id. */
  refusals: Table<CreditRefusal>;
  refunds: Record<string, RefundRecord>;
}

export const initialLotState: LotState = {
  depositsClosed: false,
  bidsOpened: false,
  closedToCredits: false,
  withdrawals: {},
  bonds: {},
  credits: emptyTable(),
  refusals: emptyTable(),
  refunds: {},
};

/** The amount flag a bond carries for its principal against the lot's bond amount. */
export function amountFlag(principal: string, bondAmount: string): CreditFlag | undefined {
  const order = compareAmounts(Decimal(principal), Decimal(bondAmount));
  return order < 0 ? 'AMOUNT_BELOW_BOND' : order > 0 ? 'AMOUNT_ABOVE_BOND' : undefined;
}

function withBond(state: LotState, bond: BondState): LotState {
  return { ...state, bonds: { ...state.bonds, [bond.bondId]: bond } };
}

function bondFlags(previous: CreditFlag[], creditFlags: CreditFlag[], principal: string, bondAmount: string): CreditFlag[] {
  const notBasic = previous.includes('NOT_BASIC_ACCOUNT') || creditFlags.includes('NOT_BASIC_ACCOUNT');
  const amount = amountFlag(principal, bondAmount);
  return [...(notBasic ? (['NOT_BASIC_ACCOUNT'] as CreditFlag[]) : []), ...(amount ? [amount] : [])];
}

/** Takes a credit's money out of its bond (reversal or voided match). */
function removeCredit(state: LotState, creditId: string, principalAfter: string, removedBy: 'REVERSAL' | 'VOID'): LotState {
  const credit = tableGet(state.credits, creditId)!;
  const bond = state.bonds[credit.bondId];
  const next = withBond(state, {
    ...bond,
    principal: principalAfter,
    tranches: bond.tranches.filter((tranche) => tranche.creditId !== creditId),
    flags: bondFlags(bond.flags.filter((flag) => flag === 'NOT_BASIC_ACCOUNT'), [], principalAfter, state.terms!.bondAmount),
  });
  return { ...next, credits: tableSet(next.credits, creditId, { ...credit, removed: true, removedBy }) };
}

/** Bonds still held become refundable by a due date; earlier due dates (a withdrawal) are kept. */
function makeHeldBondsRefundable(state: LotState, dueBy: string): LotState {
  const bonds = Object.fromEntries(
    Object.entries(state.bonds).map(([id, bond]) => [
      id,
      bond.status === 'HELD' ? { ...bond, status: 'REFUND_DUE' as const, refundDueBy: bond.refundDueBy ?? dueBy } : bond,
    ]),
  );
  return { ...state, bonds };
}

export function evolveLot(state: LotState, event: LotEvent): LotState {
  switch (event.type) {
    case 'LotRegistered':
      return { ...state, terms: event.data };
    case 'DepositsClosed':
      return { ...state, depositsClosed: true };
    case 'BidsOpened':
      return { ...state, bidsOpened: true };
    case 'BondCredited': {
      const d = event.data;
      const existing = state.bonds[d.bondId];
      const tranche: BondTranche = {
        creditId: d.creditId,
        amount: d.amount,
        valueDate: d.valueDate,
        virtualAccountNo: d.virtualAccountNo,
        bankCode: d.bankCode,
      };
      const bond: BondState = existing
        ? { ...existing, principal: d.principalAfter, tranches: [...existing.tranches, tranche] }
        : {
            bondId: d.bondId,
            payer: d.payer,
            principal: d.principalAfter,
            tranches: [tranche],
            status: d.refundDueBy === undefined ? 'HELD' : 'REFUND_DUE',
            forfeitable: false,
            flags: [],
            refundAttempts: 0,
            ...(d.refundDueBy === undefined ? {} : { refundDueBy: d.refundDueBy }),
          };
      if (d.bidderId !== undefined) bond.bidderId = d.bidderId;
      bond.flags = bondFlags(existing?.flags ?? [], d.flags, d.principalAfter, state.terms!.bondAmount);
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
      const next = withBond(state, bond);
      return { ...next, credits: tableSet(next.credits, d.creditId, credit) };
    }
    case 'CreditRefused': {
      const { creditId, anchorRevision, reason } = event.data;
      return { ...state, refusals: tableSet(state.refusals, creditId, { anchorRevision, reason }) };
    }
    case 'CreditReversed':
      return removeCredit(state, event.data.creditId, event.data.principalAfter, 'REVERSAL');
    case 'SuspenseMatchVoided':
      return removeCredit(state, event.data.creditId, event.data.principalAfter, 'VOID');
    case 'BidderWithdrew': {
      const d = event.data;
      let next: LotState = { ...state, withdrawals: { ...state.withdrawals, [d.bidderId]: { beforeDeadline: d.beforeDeadline } } };
      for (const bondId of d.bondIds) {
        const bond = next.bonds[bondId];
        next = withBond(
          next,
          d.beforeDeadline ? { ...bond, status: 'REFUND_DUE', refundDueBy: d.refundDueBy } : { ...bond, forfeitable: true },
        );
      }
      return next;
    }
    case 'LotAwarded': {
      const { winnerBidderId, contractSignedOn, refundsDueBy } = event.data;
      return makeHeldBondsRefundable({ ...state, award: { winnerBidderId, contractSignedOn, refundsDueBy } }, refundsDueBy);
    }
    case 'TenderTerminated': {
      const { reason, terminatedAt, refundsDueBy } = event.data;
      return makeHeldBondsRefundable(
        { ...state, termination: { reason, terminatedAt, refundsDueBy }, closedToCredits: true },
        refundsDueBy,
      );
    }
    case 'BondForfeited': {
      const bond = state.bonds[event.data.bondId];
      return withBond(state, { ...bond, status: 'FORFEITED' });
    }
    case 'RefundInstructed': {
      const d = event.data;
      const bond = state.bonds[d.bondId];
      const next = withBond(state, {
        ...bond,
        status: 'REFUND_PENDING',
        pendingRefundId: d.refundId,
        refundAttempts: bond.refundAttempts + 1,
      });
      return {
        ...next,
        closedToCredits: next.closedToCredits || next.award !== undefined,
        refunds: { ...next.refunds, [d.refundId]: { refundId: d.refundId, bondId: d.bondId, status: 'INSTRUCTED', postings: d.postings } },
      };
    }
    case 'RefundSettled':
    case 'RefundFailed': {
      const d = event.data;
      const settled = event.type === 'RefundSettled';
      const bond = state.bonds[d.bondId];
      const next = withBond(state, {
        ...bond,
        status: settled ? 'REFUNDED' : 'REFUND_DUE',
        pendingRefundId: undefined,
      });
      const refund = next.refunds[d.refundId];
      return {
        ...next,
        refunds: { ...next.refunds, [d.refundId]: { ...refund, status: settled ? 'SETTLED' : 'FAILED', bankRef: d.bankRef } },
      };
    }
  }
}
