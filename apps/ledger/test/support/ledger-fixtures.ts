import { formatVirtualAccountNo } from '@app/domain';

/** The bank and virtual-account prefix of the default configuration (VIRTUAL_ACCOUNT_PREFIXES unset). */
export const BANK = '102100099996';
export const PREFIX = '955880';

/** `C-{bankCode}-{bankRef}`: the id of the credit a bank reference names at its receiving bank (by default the ledger's one). */
export const creditIdOf = (bankRef: string, bankCode = BANK) => `C-${bankCode}-${bankRef}`;

/** `inbound-credit-{bankCode}-{bankRef}`: the credit's anchor stream. */
export const creditStreamOf = (bankRef: string, bankCode = BANK) => `inbound-credit-${bankCode}-${bankRef}`;

/** `master-account-{bankCode}-{accountNo}`: a master account's stream (a number is unique per bank only). */
export const masterAccountStreamOf = (accountNo: string, bankCode = BANK) => `master-account-${bankCode}-${accountNo}`;

/** The ledger accounts of the default bank that the tests' postings name. */
export const CLEARING = `clearing:${BANK}`;
export const SUSPENSE = `suspense:${BANK}`;
export const INTEREST_EXPENSE = `interest-expense:${BANK}`;

/** A posting as the events carry it. */
export const dr = (account: string, amount: string) => ({ account, side: 'DEBIT', amount });
export const cr = (account: string, amount: string) => ({ account, side: 'CREDIT', amount });

/** Payers' banks (other banks: the credits arrive over CNAPS). */
export const PAYER_BANK = '103100000026';
export const OTHER_PAYER_BANK = '104100000004';

export interface Payer {
  accountNo: string;
  name: string;
  bankCode: string;
}

export const payer = (accountNo: string, name: string, bankCode = PAYER_BANK): Payer => ({ accountNo, name, bankCode });

// ---- time: instants with the +08:00 offset, business dates in China Standard Time ----

const CST_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `2026-12-01T09:30:00+08:00` for an instant (seconds precision, rounded down). */
export function cstInstant(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(ms + CST_MS).toISOString().slice(0, 19) + '+08:00';
}

/** The China Standard Time calendar date of an instant. */
export function cstDate(at: Date | number | string): string {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + CST_MS).toISOString().slice(0, 10);
}

export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A 19-digit number under the prefix whose Luhn check digit is wrong. */
export function withWrongCheckDigit(virtualAccountNo: string): string {
  const last = Number(virtualAccountNo.slice(-1));
  return virtualAccountNo.slice(0, -1) + String((last + 1) % 10);
}

/** A well-formed virtual number (right prefix, right check digit) that is never issued in a test. */
export const UNISSUED_VIRTUAL_ACCOUNT = formatVirtualAccountNo(PREFIX, 987_654_321);

// ---- request bodies ----

export interface LotTerms {
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
}

/** A deadline at 09:00 and the opening at 09:30 (China Standard Time) on `date`: for lot terms. */
export function deadlineAndOpeningOn(date: string): Pick<LotTerms, 'depositDeadline' | 'bidOpeningTime'> {
  return { depositDeadline: `${date}T09:00:00+08:00`, bidOpeningTime: `${date}T09:30:00+08:00` };
}

export function lotTerms(overrides: Partial<LotTerms> & Pick<LotTerms, 'lotId' | 'centerId'>): LotTerms {
  return {
    projectCode: 'PRJ-2026-017',
    name: 'Ring road section 3, civil works',
    estimatedPrice: '5000000.00',
    bondAmount: '50000.00',
    // Far ahead by default: the lot clock leaves such a lot alone, so event counts stay still.
    depositDeadline: '2099-06-01T09:00:00+08:00',
    bidOpeningTime: '2099-06-01T09:30:00+08:00',
    basicAccountPolicy: 'ENFORCE',
    rateScheduleId: 'PBOC-DEMAND',
    ...overrides,
  };
}

export interface InboundCredit {
  bankRef: string;
  channel: 'HVPS' | 'BEPS' | 'INTERNAL';
  receivedAt: string;
  valueDate: string;
  amount: string;
  currency: string;
  payer: Payer;
  payeeAccountNo: string;
  /** The receiving bank; absent: the bank of the payee number's prefix, else the ledger's first. */
  payeeBankCode?: string;
  remittanceInfo?: string;
}

export function inboundCredit(fields: Omit<InboundCredit, 'channel' | 'currency'> & Partial<Pick<InboundCredit, 'channel' | 'currency'>>): InboundCredit {
  return { channel: 'HVPS', currency: 'CNY', ...fields };
}

/**
 * Makes inbound-credit bodies received at `receivedAt` and valued on `valueDate` (by default its date), of
 * `amount` unless `more` says otherwise: `credit(bankRef, payer, payeeAccountNo, more?)`.
 */
export function creditsReceivedAt(receivedAt: string, valueDate = cstDate(receivedAt), amount = '50000.00') {
  return (bankRef: string, from: Payer, payeeAccountNo: string, more: Partial<InboundCredit> = {}): InboundCredit =>
    inboundCredit({ bankRef, receivedAt, valueDate, amount, payer: from, payeeAccountNo, ...more });
}
