import type { RateSchedule } from '../interest';
import type { CreditSource, LotRegistered, Payer } from './lot-events';

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
}

export interface AwardLot {
  type: 'AwardLot';
  winnerBidderId: string;
  contractSignedOn: string;
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
}

export interface RefundBonds {
  type: 'RefundBonds';
  refundOn: string;
  schedule: RateSchedule;
}

export interface SettleRefund {
  type: 'SettleRefund';
  refundId: string;
  status: 'SETTLED' | 'FAILED';
  bankRef: string;
  reason?: string;
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
  | SettleRefund;
