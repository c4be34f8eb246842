import { bondIdFor, refundIdFor } from '@app/domain';
import { LedgerHarness } from '../ledger-harness';
import { creditIdOf, creditsReceivedAt, lotTerms, payer, withWrongCheckDigit, type LotTerms } from '../ledger-fixtures';
import type { Caller } from './two-worlds';

/**
 * The set-up both worlds share, and what the paid world adds: two centers, a master account each, a rate
 * schedule, and two sealed lots of the first center (FLAG policy, so a payer with no declared basic
 * account is still classified), each with a lot-level and a per-bidder virtual account. Lot A is probed
 * with every command that must be refused alike; lot B takes the commands that succeed (withdrawals,
 * refund runs, termination).
 */

/** 10:00 China Standard Time, the day before the deadline (09:00) and the bid opening (09:30). */
export const T0 = '2026-12-15T10:00:00+08:00';
export const TODAY = '2026-12-15';
export const DEADLINE = '2026-12-16T09:00:00+08:00';
export const OPENING = '2026-12-16T09:30:00+08:00';
/** A minute after the opening: the lot clock has opened the bids. */
export const AFTER_OPENING = '2026-12-16T09:31:00+08:00';

export const CENTER = 'SML-CENTER';
export const RIVAL = 'SML-RIVAL';
export const MASTER = '6217000000015001';
export const RIVAL_MASTER = '6217000000015002';
export const RATES = 'SML-RATES';
export const LOT_A = 'SML-LOT-A';
export const LOT_B = 'SML-LOT-B';
export const SEALED_LOTS = [LOT_A, LOT_B] as const;

/** Declared basic accounts: ALPHA and BRAVO pay, CHARLIE never does. */
export const ALPHA = payer('6222000015150001', 'Alpha Sealed Builders');
export const BRAVO = payer('6222000015150002', 'Bravo Quiet Works');
export const CHARLIE = payer('6222000015150003', 'Charlie Never Paid');
/** Undeclared payers: one pays a lot account directly, one pays a mistyped number and is matched by an operator. */
export const NOBODY = payer('6222000015150004', 'Undeclared Payer Ltd');
export const ASTRAY = payer('6222000015150005', 'Astray Payment Co');

/** Credits received an hour before T0, valued five days earlier (interest has accrued). */
const RECEIVED_AT = '2026-12-15T09:00:00+08:00';
const VALUE_DATE = '2026-12-10';
const credit = creditsReceivedAt(RECEIVED_AT, VALUE_DATE);
/** A withdrawal notice received before the deadline (and before T0). */
export const NOTICE = '2026-12-15T09:30:00+08:00';

export const CALLERS = {
  anonymous: { name: 'anonymous' },
  esb: { name: 'esb', role: 'esb', subject: 'esb-sml' },
  payingBidder: { name: 'bidder ALPHA (pays)', role: 'bidder', subject: 'ALPHA' },
  otherBidder: { name: 'bidder CHARLIE (never pays)', role: 'bidder', subject: 'CHARLIE' },
  auditor: { name: 'auditor', role: 'auditor', subject: 'audit-sml' },
  rival: { name: 'another center', role: 'center', subject: RIVAL },
  operator: { name: 'operator', role: 'operator', subject: 'ops-sml' },
  center: { name: "the lot's center", role: 'center', subject: CENTER },
} as const satisfies Record<string, Caller>;

/** Every caller, those a POST refuses first, the ones that may change state last. */
export const EVERY_CALLER: readonly Caller[] = [
  CALLERS.anonymous,
  CALLERS.esb,
  CALLERS.payingBidder,
  CALLERS.otherBidder,
  CALLERS.auditor,
  CALLERS.rival,
  CALLERS.operator,
  CALLERS.center,
];

export const termsOf = (lotId: string): LotTerms =>
  lotTerms({ lotId, centerId: CENTER, bondAmount: '50000.00', depositDeadline: DEADLINE, bidOpeningTime: OPENING, basicAccountPolicy: 'FLAG', rateScheduleId: RATES });

/** The bond ids anyone can derive from the lot, the bidder and the payer account (`bondIdFor`). */
export function bondsOf(lotId: string) {
  return {
    alpha: bondIdFor(lotId, 'ALPHA', ALPHA.bankCode, ALPHA.accountNo),
    bravo: bondIdFor(lotId, 'BRAVO', BRAVO.bankCode, BRAVO.accountNo),
    nobody: bondIdFor(lotId, undefined, NOBODY.bankCode, NOBODY.accountNo),
    astray: bondIdFor(lotId, undefined, ASTRAY.bankCode, ASTRAY.accountNo),
    /** Never paid, in either world. */
    charlie: bondIdFor(lotId, 'CHARLIE', CHARLIE.bankCode, CHARLIE.accountNo),
  };
}

/** ALPHA's first refund on lot B, after its withdrawal (`refundIdFor`). */
export const ALPHA_REFUND_B = refundIdFor(LOT_B, bondsOf(LOT_B).alpha, 1);

export interface LotAccounts {
  readonly lotVa: string;
  readonly alphaVa: string;
}

export type Accounts = Readonly<Record<string, LotAccounts>>;

/** Bank references of the paid world's credits. */
export const creditRef = (lotId: string, who: string) => `${lotId}-${who}`.replace(/[^A-Za-z0-9]/g, '');
export const ASTRAY_CREDIT = creditIdOf(creditRef(LOT_A, 'ASTRAY'));

/** What both worlds have: the same requests, so the same virtual account numbers. */
export async function setUpWorld(ledger: LedgerHarness): Promise<Accounts> {
  await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
  await ledger.registerCenterWithMasterAccount(RIVAL, RIVAL_MASTER);
  await ledger.post('/v1/interest-rate-schedules', { scheduleId: RATES, dayCount: 'ACT/360', entries: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }] }).expect(201);
  await ledger.declareBasicAccounts({ ALPHA, BRAVO, CHARLIE });
  const accounts: Record<string, LotAccounts> = {};
  for (const lotId of SEALED_LOTS) {
    const lotVa = await ledger.registerLotWithVirtualAccount(termsOf(lotId), MASTER);
    accounts[lotId] = { lotVa, alphaVa: await ledger.issueVirtualAccount(lotId, MASTER, 'ALPHA') };
  }
  return accounts;
}

/**
 * The paid world's payments, by the ESB (and one operator's match of a suspended credit): on each lot ALPHA
 * into its own account, BRAVO from its declared account and NOBODY from an undeclared one into the lot
 * account; on lot A a credit to a mistyped number, suspended, then matched into the lot account.
 */
export async function payIntoSealedLots(ledger: LedgerHarness, accounts: Accounts): Promise<void> {
  for (const lotId of SEALED_LOTS) {
    const { lotVa, alphaVa } = accounts[lotId]!;
    expectOutcome(await ledger.postCredit(credit(creditRef(lotId, 'ALPHA'), ALPHA, alphaVa)), 'CLASSIFIED');
    expectOutcome(await ledger.postCredit(credit(creditRef(lotId, 'BRAVO'), BRAVO, lotVa)), 'CLASSIFIED');
    expectOutcome(await ledger.postCredit(credit(creditRef(lotId, 'NOBODY'), NOBODY, lotVa)), 'CLASSIFIED');
  }
  const { lotVa } = accounts[LOT_A]!;
  expectOutcome(await ledger.postCredit(credit(creditRef(LOT_A, 'ASTRAY'), ASTRAY, withWrongCheckDigit(lotVa))), 'SUSPENDED');
  await ledger.post(`/v1/suspense/${ASTRAY_CREDIT}/resolution`, { action: 'MATCH', virtualAccountNo: lotVa }).expect(201);
}

function expectOutcome(response: { body: { outcome?: unknown } }, outcome: string): void {
  if (response.body.outcome !== outcome) throw new Error(`set-up: expected ${outcome}, got ${JSON.stringify(response.body)}`);
}
