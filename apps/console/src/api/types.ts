/**
 * The /v1 answers the console reads, as docs/openapi.json states them (the console knows the service only
 * through /v1: these are written here, never imported from libs/). Money: decimal strings.
 */

export type LotStatus = 'OPEN' | 'DEPOSITS_CLOSED' | 'BIDS_OPENED' | 'AWARDED' | 'TERMINATED' | 'REFUNDING' | 'SETTLED';
export type BondStatus = 'HELD' | 'REFUND_DUE' | 'REFUND_PENDING' | 'REFUNDED' | 'FORFEITED';
export type RefundStatus = 'INSTRUCTED' | 'SETTLED' | 'FAILED';

export interface Account {
  accountNo: string;
  name?: string;
  bankCode: string;
}

export interface LotVirtualAccount {
  virtualAccountNo: string;
  masterAccountNo: string;
  bankCode: string;
  bidderId?: string;
}

/** GET /v1/lots/{lotId}; while `sealed`, no bond count, total or bidders. */
export interface Lot {
  lotId: string;
  centerId: string;
  projectCode: string;
  name: string;
  estimatedPrice: string;
  bondAmount: string;
  depositDeadline: string;
  bidOpeningTime: string;
  basicAccountPolicy: 'ENFORCE' | 'FLAG' | 'OFF';
  rateScheduleId: string;
  status: LotStatus;
  sealed: boolean;
  depositsClosed: boolean;
  award?: { winnerBidderId?: string; winnerBondId?: string; contractSignedOn: string; refundsDueBy: string };
  termination?: { reason: string; terminatedAt: string; refundsDueBy: string };
  virtualAccounts: LotVirtualAccount[];
  bondCount?: number;
  totalPrincipal?: string;
}

export interface LotsAnswer {
  lots: Lot[];
}

export interface Tranche {
  creditId: string;
  amount: string;
  valueDate: string;
  virtualAccountNo: string;
  bankCode: string;
}

export interface BondRefund {
  refundId: string;
  attempt: number;
  refundOn: string;
  dueBy: string;
  late: boolean;
  principal: string;
  interest: string;
  total: string;
  status: RefundStatus;
}

/** GET /v1/bonds/{bondId}. */
export interface Bond {
  lotId: string;
  bondId: string;
  bidderId?: string;
  payer: Account;
  principal: string;
  tranches: Tranche[];
  status: BondStatus;
  flags: string[];
  forfeitable: boolean;
  refundDueBy?: string;
  withdrawal?: { noticeReceivedAt: string; beforeDeadline: boolean };
  refunds: BondRefund[];
  refundedLate: boolean;
  asOf: string;
  accruedInterest?: string;
  interestTo?: string;
  interestError?: { reason: string; message: string };
  overdue: boolean;
  refundBlocked?: { reason: string; message: string };
}

export interface LotBondsAnswer {
  lotId: string;
  asOf: string;
  bonds: Bond[];
}

export interface RateEntry {
  effectiveFrom: string;
  annualRate: string;
}

/** An item of GET /v1/refunds. */
export interface RefundItem {
  refundId: string;
  lotId: string;
  bondId: string;
  bidderId?: string;
  payTo: Account;
  principal: string;
  interest: string;
  total: string;
  refundOn: string;
  dueBy: string;
  late: boolean;
  attempt: number;
  status: RefundStatus;
  bankRef?: string;
  failureReason?: string;
  instructedAt: string;
}

export interface OverdueRefund {
  lotId: string;
  bondId: string;
  bidderId?: string;
  principal: string;
  refundDueBy: string;
  observedAt: string;
  bondStatus: BondStatus;
  open: boolean;
  refundId?: string;
  overdueAt: string;
}

export interface RefundsAnswer {
  refunds: RefundItem[];
  overdue: OverdueRefund[];
}

/** GET /v1/lots/{lotId}/refund-preview?refundOn= (what a run on that day would instruct; nothing recorded). */
export interface RefundPreview {
  lotId: string;
  refundOn: string;
  refunds: { bondId: string; bidderId?: string; payTo: Account; principal: string; interest: string; total: string; dayCount: string; rates: RateEntry[] }[];
  notRefunded: { bondId: string; bidderId?: string; reason: string; message: string }[];
}

/** POST /v1/lots/{lotId}/refunds. */
export interface RefundRunAnswer {
  refunds?: { refundId: string; bondId: string; total: string }[];
  notRefunded?: { bondId: string; reason: string; message: string }[];
  sealed?: true;
}

/** GET /v1/lots/{lotId}/statement (json). */
export interface Statement {
  lotId: string;
  asOf: string;
  lines: {
    at: string;
    kind: 'CREDIT' | 'REVERSAL' | 'REFUND' | 'REFUND_FAILED' | 'FORFEITURE';
    bondId: string;
    bidderId?: string;
    counterparty: Account;
    amount: string;
    interest?: string;
    valueDate?: string;
    bankRef?: string;
    refundId?: string;
  }[];
  totals: { credited: string; reversed: string; refundedPrincipal: string; interestPaid: string; forfeited: string; held: string };
  receivedByDay: { date: string; amount: string }[];
}

/** An item of GET /v1/master-accounts. */
export interface MasterAccount {
  accountNo: string;
  bankCode: string;
  centerId: string;
  accountName?: string;
  balance: string;
  balanceScope: 'OPENED_LOTS' | 'WHOLE_ACCOUNT';
  virtualAccounts: { virtualAccountNo: string; lotId: string; bidderId?: string; balance: string }[];
}

export interface MasterAccountsAnswer {
  masterAccounts: MasterAccount[];
}

export interface RateSchedulesAnswer {
  schedules: { scheduleId: string; dayCount: 'ACT/360' | 'ACT/365'; entries: RateEntry[] }[];
}
