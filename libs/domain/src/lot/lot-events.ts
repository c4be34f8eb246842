import type { Posting } from '../ledger';
import type { RateEntry, DayCount } from '../interest';

/**
 * The events of a lot's stream (`lot-{lotId}`). The lot is the consistency boundary of the bonds paid
 * for it: deadlines, award, termination and refunds are lot-wide rules, so every bond of the lot lives
 * in this one stream and every decision sees all of them at one revision.
 *
 * Money is in decimal strings, instants in ISO-8601 with offset, dates in YYYY-MM-DD. Every event that
 * moves money carries its balanced postings.
 */

export type BasicAccountPolicy = 'ENFORCE' | 'FLAG' | 'OFF';
export type CreditFlag = 'NOT_BASIC_ACCOUNT' | 'AMOUNT_BELOW_BOND' | 'AMOUNT_ABOVE_BOND';
export type CreditSource = 'INBOUND' | 'SUSPENSE';

/**
 * Why a lot did not take a credit addressed to one of its virtual accounts. The inbound credit turns
 * each into its outcome (`outcomeOfRefusal`): the first three return the money to the payer, the last
 * two put it in suspense for an operator.
 */
export type LotRefusalReason = 'AFTER_DEADLINE' | 'NOT_BASIC_ACCOUNT' | 'LOT_CLOSED' | 'AMBIGUOUS_PAYER' | 'AMOUNT_LIMIT';

export interface Payer {
  accountNo: string;
  name: string;
  bankCode: string;
}

export interface LotRegistered {
  type: 'LotRegistered';
  data: {
    lotId: string;
    centerId: string;
    projectCode: string;
    name: string;
    estimatedPrice: string;
    bondAmount: string;
    depositDeadline: string;
    bidOpeningTime: string;
    basicAccountPolicy: BasicAccountPolicy;
    rateScheduleId: string;
  };
}

/** Recorded by the scheduler once the deadline has passed; `recordedAt` says when it was noticed. */
export interface DepositsClosed {
  type: 'DepositsClosed';
  data: { lotId: string; depositDeadline: string };
}

/** From this event on the lot's bonds may be shown to its center: the confidentiality gate. */
export interface BidsOpened {
  type: 'BidsOpened';
  data: { lotId: string; bidOpeningTime: string };
}

export interface BondCredited {
  type: 'BondCredited';
  data: {
    lotId: string;
    bondId: string;
    creditId: string;
    bankRef: string;
    /** Fingerprint of the inbound request: the same bank reference with another body is a conflict. */
    requestHash: string;
    source: CreditSource;
    bidderId?: string;
    payer: Payer;
    virtualAccountNo: string;
    /** The bank holding the virtual account: its clearing (or suspense) account is debited. */
    bankCode: string;
    amount: string;
    valueDate: string;
    receivedAt: string;
    principalAfter: string;
    flags: CreditFlag[];
    /**
     * The revision of the credit's anchor event this decision answers: its InboundCreditReceived (0) or
     * the SuspenseMatchRequested of a match. A lot decides each once. Absent on events written before
     * version 2: 0 for an inbound credit; an old match has no request event.
     */
    anchorRevision?: number;
    /**
     * A new bond born refundable: a credit received before the deadline that arrives after the award
     * (Art. 57: every bond is refunded by the award's due date). Absent otherwise.
     */
    refundDueBy?: string;
    postings: Posting[];
  };
}

/**
 * The lot did not take a credit addressed to it: recorded, so the lot decides each credit once, whoever
 * asks again (a retry, a second replica, the completion of a half-written match). No money moves.
 */
export interface CreditRefused {
  type: 'CreditRefused';
  data: {
    lotId: string;
    creditId: string;
    bankRef: string;
    source: CreditSource;
    /** As in BondCredited. */
    anchorRevision: number;
    reason: LotRefusalReason;
    amount: string;
  };
}

/** The bank reported that an announced credit did not settle; the money leaves the bond. */
export interface CreditReversed {
  type: 'CreditReversed';
  data: {
    lotId: string;
    bondId: string;
    creditId: string;
    bankRef: string;
    reason: string;
    amount: string;
    principalAfter: string;
    postings: Posting[];
  };
}

/**
 * A suspense match that lost a race with another resolution of the same credit: undone, back to suspense.
 * No longer written (matches are now requested on the credit's anchor first, so none can lose a race
 * after taking the money); kept so older logs replay.
 */
export interface SuspenseMatchVoided {
  type: 'SuspenseMatchVoided';
  data: { lotId: string; bondId: string; creditId: string; amount: string; principalAfter: string; postings: Posting[] };
}

export interface BidderWithdrew {
  type: 'BidderWithdrew';
  data: {
    lotId: string;
    bidderId: string;
    noticeReceivedAt: string;
    /** Before the deadline: refund due within 5 days (Art. 35). After: the bonds become forfeitable. */
    beforeDeadline: boolean;
    refundDueBy?: string;
    bondIds: string[];
  };
}

/**
 * Who won, as the award named it: a bidder, or one of the lot's bonds (a lot paid through its lot
 * account knows its bonds by payer, not bidder). Exactly one of the two.
 */
export type AwardWinner = { winnerBidderId: string; winnerBondId?: never } | { winnerBondId: string; winnerBidderId?: never };

/** An award as recorded: the winner named, the contract's day, and the refunds' due date. */
export type LotAward = AwardWinner & { contractSignedOn: string; refundsDueBy: string };

/** Version 2: `winnerBondId` when the award named a bond (version 1 always names `winnerBidderId`). */
export interface LotAwarded {
  type: 'LotAwarded';
  data: { lotId: string } & LotAward;
}

export interface TenderTerminated {
  type: 'TenderTerminated';
  data: { lotId: string; reason: string; terminatedAt: string; refundsDueBy: string };
}

/**
 * The legal ground of a forfeiture, recorded in the lot's history before it: a withdrawal after the
 * deposit deadline (Art. 35, BidderWithdrew with `beforeDeadline` false), or the winner's refusal to sign
 * the contract (Art. 74, WinnerRefusedToSign).
 */
export type ForfeitureGround = 'WITHDRAWN_AFTER_DEADLINE' | 'REFUSED_TO_SIGN';

/**
 * Version 2: `ground`, as the request named it and the history allowed. Version 1 has none: every
 * forfeiture then was of a bond withdrawn after the deadline (read as WITHDRAWN_AFTER_DEADLINE).
 */
export interface BondForfeited {
  type: 'BondForfeited';
  data: { lotId: string; bondId: string; centerId: string; reason: string; ground?: ForfeitureGround; amount: string; postings: Posting[] };
}

/**
 * Art. 74: the bidder the center chose refused without good cause to sign the contract (recorded by the
 * center after bid opening, before any award). Its bonds held on the lot become forfeitable on that
 * ground; it can no longer be awarded the lot.
 */
export interface WinnerRefusedToSign {
  type: 'WinnerRefusedToSign';
  data: { lotId: string; bidderId: string; refusedOn: string; reason: string; bondIds: string[] };
}

export interface RefundInstructed {
  type: 'RefundInstructed';
  data: {
    lotId: string;
    refundId: string;
    bondId: string;
    bidderId?: string;
    /** 原路退回: the account the bond's money came from. */
    payTo: Payer;
    principal: string;
    interest: string;
    total: string;
    refundOn: string;
    dueBy: string;
    /** A refund later than the legal due date is made and marked, never blocked. */
    late: boolean;
    attempt: number;
    dayCount: DayCount;
    rates: RateEntry[];
    postings: Posting[];
  };
}

export interface RefundSettled {
  type: 'RefundSettled';
  data: { lotId: string; refundId: string; bondId: string; bankRef: string };
}

/**
 * The payment bounced: principal and interest go back to where they came from; the bond is refundable
 * again from `failedOn` (the business day the failure was reported), so its next instruction earns
 * interest to its own date. Version 2 added `failedOn`; a version-1 failure leaves the day the bond
 * became refundable as it was.
 */
export interface RefundFailed {
  type: 'RefundFailed';
  data: { lotId: string; refundId: string; bondId: string; bankRef: string; reason: string; failedOn?: string; postings: Posting[] };
}

/**
 * A center named the bidder of a bond known only by its payer (paid through the lot account), after bid
 * opening. The bond keeps its id (`bondIdFor` hashed no bidder into it); only its `bidderId` changes.
 */
export interface BondAttributed {
  type: 'BondAttributed';
  data: { lotId: string; bondId: string; bidderId: string };
}

/**
 * An operator redirected a bond's refund after its settlement FAILED (account closed or frozen) to another
 * account of the same payer, on the evidence referenced. `from` is the account the failed refund was sent
 * to (the original path, or an earlier redirection's); the bond's next refund pays to `to`.
 */
export interface RefundRedirected {
  type: 'RefundRedirected';
  data: { lotId: string; refundId: string; bondId: string; from: Payer; to: Payer; evidenceRef: string; reason: string };
}

/**
 * Art. 57 (招标投标法实施条例): a bond's refund was still owed (due, or instructed and not settled) when
 * its limit passed, the start of the day after `refundDueBy` in China Standard Time. Recorded by the lot
 * clock (RecordTimePassed), once per bond and due date; a later settlement, or a refund that fails again,
 * records no second one (refund-overdue.ts).
 */
export interface RefundOverdue {
  type: 'RefundOverdue';
  data: {
    lotId: string;
    bondId: string;
    bidderId?: string;
    /** What is owed: the bond's principal (interest runs on to the day the money leaves). */
    principal: string;
    refundDueBy: string;
    /** The clock reading at which the ledger found the limit passed (at or after it). */
    observedAt: string;
    /** An instruction was out and not yet reported settled or failed: `refundId` names it. */
    instructionPending: boolean;
    refundId?: string;
  };
}

/**
 * A center asked something of its lot while the bids were sealed that would tell who paid (a command naming
 * a bond or a bidder: forfeiture, attribution, award, signing refusal; or a refund run nothing came of), and
 * was answered as the seal answers everyone (seal.ts). The ask is the record: the audit trail of a tenant
 * probing its own sealed lot (docs/security.md). Changes nothing else.
 */
export interface SealedLotAsked {
  type: 'SealedLotAsked';
  data: {
    lotId: string;
    /** The command as the domain names it, e.g. `ForfeitBond`. */
    command: string;
    bondId?: string;
    bidderId?: string;
    /** The code the center was answered with, or `WITHHELD` (an answer that leaves the lot's money out). */
    answeredWith: string;
  };
}

export type LotEvent =
  | LotRegistered
  | DepositsClosed
  | BidsOpened
  | BondCredited
  | CreditRefused
  | CreditReversed
  | SuspenseMatchVoided
  | BidderWithdrew
  | LotAwarded
  | TenderTerminated
  | BondForfeited
  | RefundInstructed
  | RefundSettled
  | RefundFailed
  | WinnerRefusedToSign
  | BondAttributed
  | RefundRedirected
  | RefundOverdue
  | SealedLotAsked;

export type LotEventType = LotEvent['type'];

/** Every type of LotEvent, once: the compiler refuses this list when it misses one or names another. */
const LOT_EVENT_TYPE_LIST: { readonly [type in LotEventType]: true } = {
  LotRegistered: true,
  DepositsClosed: true,
  BidsOpened: true,
  BondCredited: true,
  CreditRefused: true,
  CreditReversed: true,
  SuspenseMatchVoided: true,
  BidderWithdrew: true,
  LotAwarded: true,
  TenderTerminated: true,
  BondForfeited: true,
  RefundInstructed: true,
  RefundSettled: true,
  RefundFailed: true,
  WinnerRefusedToSign: true,
  BondAttributed: true,
  RefundRedirected: true,
  RefundOverdue: true,
  SealedLotAsked: true,
};
export const LOT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(LOT_EVENT_TYPE_LIST));
