import type { RateSchedule } from '../interest';
import type { AwardWinner, CreditSource, ForfeitureGround, LotRegistered, Payer } from './lot-events';

type LotTerms = LotRegistered['data'];

/**
 * Commands of the lot decider. Facts from other aggregates (does the center exist, who declared the
 * payer's account, the rate schedule) and the current time are resolved by the command handler and
 * passed in, so decide stays pure.
 */

/** The lot's terms as they will be recorded, plus the facts their checks need. */
export interface RegisterLot extends LotTerms {
  type: 'RegisterLot';
  centerExists: boolean;
  rateScheduleExists: boolean;
}

/**
 * An inbound credit (or a suspense match) addressed to one of the lot's virtual accounts. The lot takes
 * it (BondCredited) or refuses it (CreditRefused), once per `anchorRevision`: asked again, it decides
 * nothing new and its first decision stands (`lotCreditDecision`).
 */
export interface CreditBond {
  type: 'CreditBond';
  creditId: string;
  /** The revision of the credit's anchor event this answers (BondCredited.anchorRevision). */
  anchorRevision: number;
  bankRef: string;
  requestHash: string;
  source: CreditSource;
  receivedAt: string;
  valueDate: string;
  amount: string;
  payer: Payer;
  virtualAccount: { virtualAccountNo: string; bankCode: string; bidderId?: string };
  /** Bidders that declared the payer's account as their basic account, in declaration order. */
  payerDeclaredBy: string[];
}

export interface ReverseCredit {
  type: 'ReverseCredit';
  creditId: string;
  bankRef: string;
  reason: string;
}

/** Time-driven: the scheduler's clock reading. */
export interface RecordTimePassed {
  type: 'RecordTimePassed';
  now: string;
}

export interface WithdrawBidder {
  type: 'WithdrawBidder';
  bidderId: string;
  noticeReceivedAt: string;
  /** The ledger's clock: the notice may not lie beyond it (`isInstantInFuture`). */
  now: string;
}

/** The winner by `winnerBidderId`, or by `winnerBondId` (a lot paid through its lot account knows bonds by payer). */
export type AwardLot = AwardWinner & AwardTerms;

interface AwardTerms {
  type: 'AwardLot';
  contractSignedOn: string;
  /** The ledger's clock: the contract is signed by today (Asia/Shanghai). */
  now: string;
}

export interface TerminateTender {
  type: 'TerminateTender';
  reason: string;
  now: string;
}

export interface ForfeitBond {
  type: 'ForfeitBond';
  bondId: string;
  reason: string;
  /** The legal ground the center invokes, if it names one: the lot's history must record it for the bond (Art. 35, 74). */
  ground?: ForfeitureGround | undefined;
}

export interface RefundBonds {
  type: 'RefundBonds';
  refundOn: string;
  schedule: RateSchedule;
  /** The ledger's clock: `refundOn` is not after today (Asia/Shanghai). */
  now: string;
}

export interface SettleRefund {
  type: 'SettleRefund';
  refundId: string;
  status: 'SETTLED' | 'FAILED';
  bankRef: string;
  reason?: string;
  /** The ledger's clock: a failure makes the bond refundable again from its business date. */
  now: string;
}

/** Art. 74: the winner the center chose refuses to sign the contract (refund-rules.ts, forfeiture). */
export interface RecordSigningRefusal {
  type: 'RecordSigningRefusal';
  bidderId: string;
  refusedOn: string;
  reason: string;
  /** The ledger's clock: `refusedOn` is not after today. */
  now: string;
}

/** A center names the bidder of one of its lot's bonds after bid opening (bond-attribution.ts). */
export interface AttributeBond {
  type: 'AttributeBond';
  bondId: string;
  bidderId: string;
}

/** An operator sends a failed refund's next attempt to another account of the same payer (refund-redirection.ts). */
export interface RedirectRefund {
  type: 'RedirectRefund';
  refundId: string;
  /** The new account; without a name, the bond's payer's (the same payer). */
  to: { accountNo: string; bankCode: string; name?: string };
  /** The bank's file of the payer's proof documents (letter under seal, the new account's opening certificate). */
  evidenceRef: string;
  reason: string;
}

export type LotCommand =
  | RegisterLot
  | CreditBond
  | ReverseCredit
  | RecordTimePassed
  | WithdrawBidder
  | AwardLot
  | TerminateTender
  | ForfeitBond
  | RefundBonds
  | SettleRefund
  | RecordSigningRefusal
  | AttributeBond
  | RedirectRefund;
