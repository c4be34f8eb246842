import type { Account } from '../../api/types';

export type SuspenseStatus = 'SUSPENDED' | 'MATCHED' | 'RETURNED' | 'REVERSED';

/** Why money is in suspense (the credit could not be classified to a bond). */
export const SUSPENSE_REASONS = [
  'UNKNOWN_VIRTUAL_ACCOUNT',
  'BAD_CHECK_DIGIT',
  'AMBIGUOUS_PAYER',
  'AMOUNT_LIMIT',
  'RECEIVED_IN_FUTURE',
  'VALUE_DATE_AFTER_RECEIPT',
  'VALUE_DATE_TOO_OLD',
] as const;

/** An item of GET /v1/suspense. */
export interface SuspenseItem {
  creditId: string;
  bankRef: string;
  reason: string;
  bankCode: string;
  amount: string;
  currency: string;
  channel: 'HVPS' | 'BEPS' | 'INTERNAL';
  payer: Account;
  /** The payee number as received. */
  payeeAccountNo: string;
  remittanceInfo?: string;
  receivedAt: string;
  valueDate: string;
  status: SuspenseStatus;
  resolution?:
    | { action: 'MATCH'; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: string[] }
    | { action: 'RETURN'; returnTo: Account };
  reversal?: { reason: string; fromSuspense: boolean };
  lotCredits: { lotId: string; bondId: string; virtualAccountNo: string; voided: boolean; reversed: boolean }[];
  inSuspense: boolean;
  /** A global position (the list's order), not a time. */
  suspendedAt: string;
}

/** GET /v1/suspense?status=&bankCode=. */
export interface SuspenseAnswer {
  /** Bank code → its suspense account's balance. */
  balances: Record<string, string>;
  items: SuspenseItem[];
}

/** POST /v1/suspense/{creditId}/resolution. */
export interface ResolutionAnswer {
  creditId: string;
  action: 'MATCH' | 'RETURN';
  status: SuspenseStatus;
  lotId?: string;
  bondId?: string;
  bidderId?: string;
  virtualAccountNo?: string;
  flags?: string[];
}

/** GET /v1/refunds adds to a redirected failed refund where the bond's next refund pays. */
export interface RefundRedirection {
  to: Account;
  evidenceRef: string;
  reason: string;
}
