import { tableGet } from '../collections';
import { Decider, Decision, Rejection, conflict, notFound, ruleBroken, unreachable } from '../decider';
import { accrueInterest, compareDates } from '../interest';
import {
  Posting,
  balancedPostings,
  centerSettlementAccount,
  clearingAccount,
  interestExpenseAccount,
  suspenseAccount,
  transfer,
  virtualSubAccount,
} from '../ledger';
import { Decimal, type Fen, ZERO_FEN, addFen, amountOfFen, compareAmounts, exceedsAmountLimit, fenOf, subtractFen } from '../money';
import { businessDateOf, instantMs, isAfter, refundDueBy } from './business-time';
import type {
  AwardLot,
  CreditBond,
  ForfeitBond,
  RecordTimePassed,
  RefundBonds,
  RegisterLot,
  ReverseCredit,
  SettleRefund,
  TerminateTender,
  WithdrawBidder,
  LotCommand,
} from './lot-commands';
import type { BondCredited, CreditFlag, LotEvent, LotRefusalReason, RefundInstructed } from './lot-events';
import { refundIdFor } from './lot-ids';
import { BOND_EVENT_TYPES, amountFlag } from './bond';
import { refundLimitsOf, refundOverdue } from './refund-overdue';
import { attributeBond, awardWinnerRefusal, bondIdOfCredit, bondsOfBidder, winnerOf } from './bond-attribution';
import { redirectRefund } from './refund-redirection';
import { awardDateOrWinnerRefusal, dateInFuture, forfeitureGround, instantInFuture, recordSigningRefusal } from './forfeiture-rules';
import { refundPayment, refundRun } from './refund-rules';
import { refundRunWhileSealed, refusedWhileSealed, sealedForCenter } from './sealed-asks';
import { type BondState, type CreditRecord, type LotState, type RegisteredLot, bondOfCredit, evolveLot, initialLotState, lotBond, lotBonds, lotRefund } from './lot-state';

/** Art. 26: a bid bond may not exceed 2% of the project's estimated price. */
const BOND_LIMIT_SHARE = Decimal('0.02');

type LotDecision = Decision<LotEvent>;

const lotNotFound = (): Rejection => notFound('LOT_NOT_FOUND', 'no such lot', 'lotId');

function registerLot(command: RegisterLot): LotDecision {
  if (!command.centerExists) return notFound('TENDER_CENTER_NOT_FOUND', `no tender center ${command.centerId}`, 'centerId');
  if (!command.rateScheduleExists) {
    return notFound('RATE_SCHEDULE_NOT_FOUND', `no interest-rate schedule ${command.rateScheduleId}`, 'rateScheduleId');
  }
  const limit = Decimal(command.estimatedPrice).times(BOND_LIMIT_SHARE);
  if (compareAmounts(Decimal(command.bondAmount), limit) > 0) {
    return ruleBroken('BOND_EXCEEDS_LIMIT', `bondAmount may not exceed 2% of estimatedPrice (${limit.toFixed(2)})`, 'bondAmount');
  }
  if (isAfter(command.depositDeadline, command.bidOpeningTime)) {
    return ruleBroken('DEADLINE_AFTER_OPENING', 'depositDeadline must not be after bidOpeningTime', 'depositDeadline');
  }
  const { type: _type, centerExists: _c, rateScheduleExists: _r, ...terms } = command;
  return [{ type: 'LotRegistered', data: terms }];
}

/** What a lot decided about one credit's request (its anchor revision): taken into a bond, or refused. */
export type LotCreditDecision =
  | { readonly taken: true; readonly credit: CreditRecord; readonly bond: BondState }
  | { readonly taken: false; readonly reason: LotRefusalReason };

/** The lot's decision on a credit's request, or undefined while it has made none. */
export function lotCreditDecision(state: LotState, creditId: string, anchorRevision: number): LotCreditDecision | undefined {
  const credit = tableGet(state.credits, creditId);
  if (credit && credit.anchorRevision === anchorRevision) return { taken: true, credit, bond: bondOfCredit(state, credit) };
  const refusal = tableGet(state.refusals, creditId);
  if (refusal && refusal.anchorRevision === anchorRevision) return { taken: false, reason: refusal.reason };
  return undefined;
}

/**
 * Classifies a credit addressed to one of this lot's virtual accounts: into the bond of its bidder and
 * payer account, or refused with the reason the inbound credit turns into its outcome (returned or
 * suspended). Decided once per anchor revision: asked again, nothing new is decided.
 */
function creditBond(command: CreditBond, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  const decided = lotCreditDecision(state, command.creditId, command.anchorRevision);
  if (decided) {
    // Another body under a bank reference is refused at the credit's anchor before it reaches a lot.
    return !decided.taken || decided.credit.requestHash === command.requestHash
      ? []
      : conflict('DUPLICATE_BANK_REF', `bank reference ${command.bankRef} was posted with another body`, 'bankRef');
  }
  const refused = (reason: LotRefusalReason): LotEvent[] => [
    {
      type: 'CreditRefused',
      data: {
        lotId: terms.lotId,
        creditId: command.creditId,
        bankRef: command.bankRef,
        source: command.source,
        anchorRevision: command.anchorRevision,
        reason,
        amount: command.amount,
      },
    },
  ];
  if (state.closedToCredits) return refused('LOT_CLOSED');
  if (isAfter(command.receivedAt, terms.depositDeadline)) return refused('AFTER_DEADLINE');
  const boundBidder = command.virtualAccount.bidderId;
  if (boundBidder === undefined && command.payerDeclaredBy.length > 1) return refused('AMBIGUOUS_PAYER');
  const bidderId = boundBidder ?? command.payerDeclaredBy[0];
  // A bidder that withdrew has no bid to secure: its money goes back (a withdrawal is recorded before it paid, too).
  if (bidderId !== undefined && state.withdrawals[bidderId]) return refused('LOT_CLOSED');
  const fromBasicAccount = bidderId !== undefined && command.payerDeclaredBy.includes(bidderId);
  if (!fromBasicAccount && terms.basicAccountPolicy === 'ENFORCE') return refused('NOT_BASIC_ACCOUNT');

  const bondId = bondIdOfCredit(state, bidderId, command.payer);
  const previous = lotBond(state, bondId);
  // The bond this credit belongs to is paid out or being paid out.
  if (previous && previous.status !== 'HELD' && previous.status !== 'REFUND_DUE') return refused('LOT_CLOSED');
  const principal = addFen(previous ? fenOf(previous.principal) : ZERO_FEN, fenOf(command.amount));
  // A bond must be payable in one posting; money that would take it past the limit waits for an operator.
  if (exceedsAmountLimit(principal)) return refused('AMOUNT_LIMIT');
  const principalAfter = amountOfFen(principal);
  const flags: CreditFlag[] = [];
  if (!fromBasicAccount && terms.basicAccountPolicy === 'FLAG') flags.push('NOT_BASIC_ACCOUNT');
  const amount = amountFlag(principalAfter, terms.bondAmount);
  if (amount) flags.push(amount);

  const { virtualAccountNo, bankCode } = command.virtualAccount;
  const source = command.source === 'INBOUND' ? clearingAccount(bankCode) : suspenseAccount(bankCode);
  const data: BondCredited['data'] = {
    lotId: terms.lotId,
    bondId,
    creditId: command.creditId,
    bankRef: command.bankRef,
    requestHash: command.requestHash,
    source: command.source,
    payer: command.payer,
    virtualAccountNo,
    bankCode,
    amount: command.amount,
    valueDate: command.valueDate,
    receivedAt: command.receivedAt,
    principalAfter,
    flags,
    anchorRevision: command.anchorRevision,
    postings: [...transfer(source, virtualSubAccount(virtualAccountNo), command.amount)],
  };
  if (bidderId !== undefined) data.bidderId = bidderId;
  if (!previous && state.award) data.refundDueBy = state.award.refundsDueBy;
  return [{ type: 'BondCredited', data }];
}

/** The credit's money, if it is still in a bond that has not been paid out. */
function creditStillHeld(state: LotState, creditId: string): { bond: BondState; credit: CreditRecord } | Rejection {
  const credit = tableGet(state.credits, creditId);
  if (!credit || credit.removed) return notFound('CREDIT_NOT_FOUND', `no credit ${creditId} in this lot`, 'creditId');
  const bond = bondOfCredit(state, credit);
  if (bond.status === 'REFUND_PENDING' || bond.status === 'REFUNDED' || bond.status === 'FORFEITED') {
    return ruleBroken('CREDIT_ALREADY_PAID_OUT', `the bond holding credit ${creditId} is ${bond.status}`, 'creditId');
  }
  return { bond, credit };
}

function reverseCredit(command: ReverseCredit, state: RegisteredLot): LotDecision {
  if (tableGet(state.credits, command.creditId)?.removedBy === 'REVERSAL') return [];
  const held = creditStillHeld(state, command.creditId);
  if ('rejected' in held) return held;
  const { bond, credit } = held;
  return [
    {
      type: 'CreditReversed',
      data: {
        lotId: state.terms.lotId,
        bondId: bond.bondId,
        creditId: command.creditId,
        bankRef: command.bankRef,
        reason: command.reason,
        amount: credit.amount,
        principalAfter: amountOfFen(subtractFen(fenOf(bond.principal), fenOf(credit.amount))),
        postings: [...transfer(virtualSubAccount(credit.virtualAccountNo), clearingAccount(credit.bankCode), credit.amount)],
      },
    },
  ];
}

/** What RecordTimePassed may record. */
export const TIME_PASSED_EVENT_TYPES = ['DepositsClosed', 'BidsOpened', 'RefundOverdue'] as const satisfies readonly LotEvent['type'][];

/**
 * All a time-driven decision rests on: the lot's terms, what it records, and every event that changes a
 * bond (its status, principal or due date: refund-overdue.ts). The lot clock folds these alone.
 */
export const TIME_PASSED_RESTS_ON: readonly LotEvent['type'][] = ['LotRegistered', ...TIME_PASSED_EVENT_TYPES, ...BOND_EVENT_TYPES];

/** Something time will record for a lot as it stands: from instant `at`, given the clock reading then. */
interface TimeDue {
  readonly at: string;
  readonly record: (now: string) => LotEvent;
}

function timeDue(state: RegisteredLot): TimeDue[] {
  const { lotId, depositDeadline, bidOpeningTime } = state.terms;
  const due: TimeDue[] = [];
  if (!state.depositsClosed) due.push({ at: depositDeadline, record: () => ({ type: 'DepositsClosed', data: { lotId, depositDeadline } }) });
  if (!state.bidsOpened) due.push({ at: bidOpeningTime, record: () => ({ type: 'BidsOpened', data: { lotId, bidOpeningTime } }) });
  for (const limit of refundLimitsOf(state)) due.push({ at: limit.overdueFrom, record: (now) => refundOverdue(state, limit, now) });
  return due;
}

/**
 * Records the deadline and the opening once they have passed, and each refund still owed at its limit
 * (Art. 57: RefundOverdue, once per bond and due date); idempotent, so the scheduler may repeat it.
 */
function recordTimePassed(command: RecordTimePassed, state: RegisteredLot): LotDecision {
  const now = instantMs(command.now);
  return timeDue(state)
    .filter((due) => instantMs(due.at) <= now)
    .map((due) => due.record(command.now));
}

/** The first instant (epoch ms) from which RecordTimePassed records something for the lot as it stands; undefined: nothing before another event. */
export function nextTimeDueMs(state: LotState): number | undefined {
  if (!state.terms) return undefined;
  const instants = timeDue(state).map((due) => instantMs(due.at));
  return instants.length === 0 ? undefined : Math.min(...instants);
}

function withdrawBidder(command: WithdrawBidder, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  if (state.termination || state.award) return ruleBroken('LOT_CLOSED', 'the lot is already awarded or terminated');
  if (state.withdrawals[command.bidderId]) return conflict('ALREADY_WITHDRAWN', `bidder ${command.bidderId} has already withdrawn`, 'bidderId');
  // A notice from the future would make a withdrawal "after the deadline" before it is (and its bond forfeitable).
  const future = instantInFuture(command.noticeReceivedAt, command.now, 'noticeReceivedAt');
  if (future) return future;
  const bonds = bondsOfBidder(state, command.bidderId).filter((bond) => bond.status === 'HELD');
  // Sealed, a notice is recorded whether or not the bidder paid: a refusal would tell the center who did.
  if (bonds.length === 0 && !sealedForCenter(state)) return ruleBroken('NO_BOND_FOR_BIDDER', `bidder ${command.bidderId} holds no bond on this lot`, 'bidderId');
  const beforeDeadline = !isAfter(command.noticeReceivedAt, terms.depositDeadline);
  const event: LotEvent & { type: 'BidderWithdrew' } = {
    type: 'BidderWithdrew',
    data: {
      lotId: terms.lotId,
      bidderId: command.bidderId,
      noticeReceivedAt: command.noticeReceivedAt,
      beforeDeadline,
      bondIds: bonds.map((bond) => bond.bondId),
    },
  };
  if (beforeDeadline) event.data.refundDueBy = refundDueBy(businessDateOf(command.noticeReceivedAt));
  return [event];
}

function awardLot(command: AwardLot, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  if (state.termination) return ruleBroken('LOT_CLOSED', 'the tender is terminated');
  if (state.award) return conflict('LOT_ALREADY_AWARDED', `lot ${terms.lotId} is already awarded`);
  if (!state.bidsOpened) {
    const named = command.winnerBondId === undefined ? { bidderId: command.winnerBidderId } : { bondId: command.winnerBondId };
    return refusedWhileSealed(state, 'AwardLot', named, ruleBroken('BIDS_NOT_OPENED', 'a lot can be awarded only after its bids are opened'));
  }
  const noWinner = awardWinnerRefusal(command, state) ?? awardDateOrWinnerRefusal(command, state);
  if (noWinner) return noWinner;
  return [
    {
      type: 'LotAwarded',
      data: {
        lotId: terms.lotId,
        ...winnerOf(command),
        contractSignedOn: command.contractSignedOn,
        refundsDueBy: refundDueBy(command.contractSignedOn),
      },
    },
  ];
}

function terminateTender(command: TerminateTender, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  if (state.termination) return conflict('LOT_ALREADY_TERMINATED', `lot ${terms.lotId} is already terminated`);
  if (state.award) return ruleBroken('LOT_ALREADY_AWARDED', 'an awarded lot cannot be terminated');
  return [
    {
      type: 'TenderTerminated',
      // Art. 31: refunded promptly; due the day of termination.
      data: { lotId: terms.lotId, reason: command.reason, terminatedAt: command.now, refundsDueBy: businessDateOf(command.now) },
    },
  ];
}

/** Postings that take a bond's tranches out of their virtual accounts, one debit per account. */
function debitsOfTranches(bond: BondState): Posting[] {
  const byAccount = new Map<string, Fen>();
  for (const tranche of bond.tranches) {
    const account = virtualSubAccount(tranche.virtualAccountNo);
    byAccount.set(account, addFen(byAccount.get(account) ?? ZERO_FEN, fenOf(tranche.amount)));
  }
  return [...byAccount].map(([account, amount]) => ({ account, side: 'DEBIT', amount: amountOfFen(amount) }));
}

const bondNotFound = (bondId: string): Rejection => notFound('BOND_NOT_FOUND', `no bond ${bondId}`, 'bondId');

function forfeitBond(command: ForfeitBond, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  if (sealedForCenter(state)) {
    const refusal = ruleBroken('FORFEITURE_NOT_ALLOWED', 'no bond is forfeited before the bids are opened: until then no bond may be named (Art. 22)', 'bondId');
    return refusedWhileSealed(state, 'ForfeitBond', { bondId: command.bondId }, refusal);
  }
  const bond = lotBond(state, command.bondId);
  if (!bond) return bondNotFound(command.bondId);
  const ground = forfeitureGround(command, bond);
  if (typeof ground !== 'string') return ground;
  // Principal only: interest is owed on refunds (Art. 31, 57), not on forfeited bonds.
  const postings = balancedPostings([
    ...debitsOfTranches(bond),
    { account: centerSettlementAccount(terms.centerId), side: 'CREDIT', amount: bond.principal },
  ]);
  return [
    {
      type: 'BondForfeited',
      data: { lotId: terms.lotId, bondId: bond.bondId, centerId: terms.centerId, reason: command.reason, ground, amount: bond.principal, postings: [...postings] },
    },
  ];
}

function refundBonds(command: RefundBonds, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  // Interest runs to the day the money leaves: not a day after today (refund-rules.ts).
  const future = dateInFuture(command.refundOn, command.now, 'refundOn');
  if (future) return future;
  const run = refundRun(lotBonds(state), command.refundOn, command.schedule);
  // Sealed, a run that paid nothing answers as one that paid (sealed-asks.ts), and is recorded.
  if (run.instructed.length === 0 && sealedForCenter(state)) return refundRunWhileSealed(state);
  if (run.instructed.length === 0) {
    const [first] = run.notInstructed;
    if (!first) return ruleBroken('NOTHING_TO_REFUND', 'no bond of this lot is due for refund');
    // Not one bond can be refunded on this day: the run is refused with the first bond's reason.
    return ruleBroken(first.reason, run.notInstructed.map((bond) => bond.message).join('; '), 'refundOn');
  }
  // The others are answered with their reasons (`refundRun`), and nothing changes for them.
  return run.instructed.map(({ bond, interest }): LotEvent => ({ type: 'RefundInstructed', data: refundInstruction(terms.lotId, bond, command, interest) }));
}

function refundInstruction(lotId: string, bond: BondState, command: RefundBonds, interest: string): RefundInstructed['data'] {
  const { payTo, principal, total } = refundPayment(bond, interest);
  // Interest is the bank's expense at the bank of the bond's first tranche; the payment leaves that bank's clearing.
  const [first] = bond.tranches;
  // A bond is refunded only with money in it, so with a tranche.
  if (!first) throw new RangeError(`refundInstruction: bond ${bond.bondId} has no tranche`);
  const { bankCode } = first;
  const interestDebit: Posting[] = fenOf(interest) > ZERO_FEN
    ? [{ account: interestExpenseAccount(bankCode), side: 'DEBIT', amount: interest }]
    : [];
  const postings = balancedPostings([
    ...debitsOfTranches(bond),
    ...interestDebit,
    { account: clearingAccount(bankCode), side: 'CREDIT', amount: total },
  ]);
  const dueBy = bond.refundDueBy;
  // Every way into REFUND_DUE sets a due date (bond.ts).
  if (dueBy === undefined) throw new RangeError(`refundInstruction: bond ${bond.bondId} is refundable with no due date`);
  const data: RefundInstructed['data'] = {
    lotId,
    refundId: refundIdFor(lotId, bond.bondId, bond.refundAttempts + 1),
    bondId: bond.bondId,
    payTo,
    principal,
    interest,
    total,
    refundOn: command.refundOn,
    dueBy,
    late: compareDates(command.refundOn, dueBy) > 0,
    attempt: bond.refundAttempts + 1,
    dayCount: command.schedule.dayCount,
    rates: command.schedule.entries.map((entry) => ({ ...entry })),
    postings: [...postings],
  };
  if (bond.bidderId !== undefined) data.bidderId = bond.bidderId;
  return data;
}

const refundNotFound = (refundId: string): Rejection => notFound('REFUND_NOT_FOUND', `no refund ${refundId}`, 'refundId');

function settleRefund(command: SettleRefund, state: RegisteredLot): LotDecision {
  const terms = state.terms;
  const refund = lotRefund(state, command.refundId);
  if (!refund) return refundNotFound(command.refundId);
  if (refund.status !== 'INSTRUCTED') {
    const same = refund.status === command.status && refund.bankRef === command.bankRef;
    return same ? [] : conflict('REFUND_ALREADY_SETTLED', `refund ${command.refundId} is already ${refund.status}`, 'status');
  }
  const base = { lotId: terms.lotId, refundId: refund.refundId, bondId: refund.bondId, bankRef: command.bankRef };
  if (command.status === 'SETTLED') return [{ type: 'RefundSettled', data: base }];
  // The money comes back exactly as it left: every posting of the instruction, sides swapped.
  const postings = balancedPostings(
    refund.postings.map((posting) => ({ ...posting, side: posting.side === 'DEBIT' ? 'CREDIT' : 'DEBIT' })),
  );
  // The bond is refundable again from today: its next instruction earns interest to its own date.
  return [{ type: 'RefundFailed', data: { ...base, reason: command.reason ?? 'unspecified', failedOn: businessDateOf(command.now), postings: [...postings] } }];
}

function decideLot(command: LotCommand, state: LotState): LotDecision {
  if (command.type === 'RegisterLot') {
    return state.terms ? conflict('LOT_EXISTS', `lot ${command.lotId} is already registered`, 'lotId') : registerLot(command);
  }
  if (!state.terms) return unregisteredLot(command);
  switch (command.type) {
    case 'CreditBond':
      return creditBond(command, state);
    case 'ReverseCredit':
      return reverseCredit(command, state);
    case 'RecordTimePassed':
      return recordTimePassed(command, state);
    case 'WithdrawBidder':
      return withdrawBidder(command, state);
    case 'AwardLot':
      return awardLot(command, state);
    case 'TerminateTender':
      return terminateTender(command, state);
    case 'ForfeitBond':
      return forfeitBond(command, state);
    case 'RefundBonds':
      return refundBonds(command, state);
    case 'SettleRefund':
      return settleRefund(command, state);
    case 'RecordSigningRefusal':
      return recordSigningRefusal(command, state);
    case 'AttributeBond':
      return attributeBond(command, state);
    case 'RedirectRefund':
      return redirectRefund(command, state);
    default:
      return unreachable(command);
  }
}

/** A command on a lot not registered: what the caller named does not exist (a bond or refund id names its lot). */
function unregisteredLot(command: Exclude<LotCommand, RegisterLot>): Rejection {
  switch (command.type) {
    case 'ForfeitBond':
    case 'AttributeBond':
      return bondNotFound(command.bondId);
    case 'SettleRefund':
    case 'RedirectRefund':
      return refundNotFound(command.refundId);
    case 'CreditBond':
    case 'ReverseCredit':
    case 'RecordTimePassed':
    case 'WithdrawBidder':
    case 'RecordSigningRefusal':
    case 'AwardLot':
    case 'TerminateTender':
    case 'RefundBonds':
      return lotNotFound();
    default:
      return unreachable(command);
  }
}

export const lotDecider: Decider<LotCommand, LotEvent, LotState> = {
  initialState: initialLotState,
  decide: decideLot,
  evolve: evolveLot,
};
