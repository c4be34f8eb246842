import { type DomainEvent, unreachable } from '../decider';
import type { Posting } from '../ledger';
import type { CreditFlag, LotRefusalReason, Payer } from '../lot';

/**
 * The inbound credit: one stream per receiving bank and bank reference
 * (`inbound-credit-{bankCode}-{bankRef}`), created with NO_STREAM. It is the credit's anchor: its first
 * event claims the bank reference for one request body (another body finds the claim and is refused),
 * and every later command on the credit (a suspense match or return, the bank's reversal) is serialised
 * through its revision. It records what arrived and how it ended: classified to a lot's bond (whose
 * postings live in the lot's stream), suspended (postings here), or returned at the door (no postings:
 * the money never enters a sub-account).
 */

export type SuspenseReason =
  | 'UNKNOWN_VIRTUAL_ACCOUNT'
  | 'BAD_CHECK_DIGIT'
  | 'AMBIGUOUS_PAYER'
  | 'AMOUNT_LIMIT'
  /** The dates cannot be true (credit-dates.ts): received beyond the clock, or a value date after receipt or too far before it. */
  | 'RECEIVED_IN_FUTURE'
  | 'VALUE_DATE_AFTER_RECEIPT'
  | 'VALUE_DATE_TOO_OLD';
export type ReturnReason = 'AFTER_DEADLINE' | 'NOT_BASIC_ACCOUNT' | 'LOT_CLOSED' | 'CURRENCY_NOT_SUPPORTED';
export type Channel = 'HVPS' | 'BEPS' | 'INTERNAL';

/** A bank reference is unique per bank: the stream and the credit id name both. */
export const inboundCreditStream = (bankCode: string, bankRef: string) => `inbound-credit-${bankCode}-${bankRef}`;

/**
 * `C-{bankCode}-{bankRef}`. Bank codes this ledger serves carry no `-` (the configuration refuses one),
 * so the first `-` after the bank code ends it.
 */
export const creditIdFor = (bankCode: string, bankRef: string) => `C-${bankCode}-${bankRef}`;

/** The bank and bank reference a credit id names, or undefined for an id this ledger cannot have made. */
export function creditRefOf(creditId: string): { bankCode: string; bankRef: string } | undefined {
  const [, bankCode, bankRef] = /^C-([^-]+)-(.+)$/.exec(creditId) ?? [];
  return bankCode !== undefined && bankRef !== undefined ? { bankCode, bankRef } : undefined;
}

export interface InboundCreditRequest {
  bankRef: string;
  channel: Channel;
  receivedAt: string;
  valueDate: string;
  amount: string;
  currency: string;
  payer: Payer;
  payeeAccountNo: string;
  /** The receiving bank as the ESB states it; else the bank of the payee number's prefix, else the ledger's first. */
  payeeBankCode?: string;
  remittanceInfo?: string;
}

/** The lot and virtual account a credit is addressed to, fixed when it is claimed. */
export interface CreditRoute {
  lotId: string;
  virtualAccountNo: string;
  /** The bidder of a per-bidder virtual account. */
  bidderId?: string;
}

export type CreditOutcome =
  | { outcome: 'CLASSIFIED'; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: CreditFlag[] }
  | { outcome: 'SUSPENDED'; reason: SuspenseReason; bankCode: string }
  | { outcome: 'RETURNED'; reason: ReturnReason; lotId?: string };

/**
 * The claim: what arrived, under which fingerprint (`requestHash`), at which bank, and — when the payee
 * number is one of the bank's issued virtual accounts — the lot it goes to. Version 2 added `bankCode`
 * and `route`; an outcome event follows it, in the same append unless the credit goes to a lot.
 */
export type InboundCreditReceived = DomainEvent<
  'InboundCreditReceived',
  InboundCreditRequest & { creditId: string; requestHash: string; bankCode: string; route?: CreditRoute }
>;
export type CreditClassified = DomainEvent<
  'CreditClassified',
  { creditId: string; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: CreditFlag[] }
>;
export type CreditSuspended = DomainEvent<
  'CreditSuspended',
  { creditId: string; reason: SuspenseReason; bankCode: string; amount: string; postings: Posting[] }
>;
export type CreditReturned = DomainEvent<
  'CreditReturned',
  { creditId: string; reason: ReturnReason; lotId?: string; returnTo: Payer; amount: string }
>;
/** An operator's match, recorded before the lot decides it: no other command on the credit runs until it is answered. */
export type SuspenseMatchRequested = DomainEvent<'SuspenseMatchRequested', { creditId: string } & CreditRoute>;
export type SuspenseMatched = DomainEvent<
  'SuspenseMatched',
  { creditId: string; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: CreditFlag[] }
>;
/** The lot refused a requested match (its CreditRefused); the money stays in suspense. */
export type SuspenseMatchRefused = DomainEvent<'SuspenseMatchRefused', { creditId: string; lotId: string; reason: LotRefusalReason }>;
export type SuspenseReturned = DomainEvent<
  'SuspenseReturned',
  { creditId: string; bankCode: string; returnTo: Payer; amount: string; postings: Posting[] }
>;
/**
 * The bank says the credit did not settle. Postings only for money still in suspense: money in a bond
 * leaves through the lot's CreditReversed, and a returned credit never entered the ledger.
 */
export type InboundCreditReversed = DomainEvent<
  'InboundCreditReversed',
  { creditId: string; bankRef: string; reason: string; lotId?: string; postings?: Posting[] }
>;

export type InboundCreditEvent =
  | InboundCreditReceived
  | CreditClassified
  | CreditSuspended
  | CreditReturned
  | SuspenseMatchRequested
  | SuspenseMatched
  | SuspenseMatchRefused
  | SuspenseReturned
  | InboundCreditReversed;

/** Every type of InboundCreditEvent, once: the compiler refuses this list when it misses one or names another. */
const INBOUND_CREDIT_EVENT_TYPE_LIST: { readonly [type in InboundCreditEvent['type']]: true } = {
  InboundCreditReceived: true,
  CreditClassified: true,
  CreditSuspended: true,
  CreditReturned: true,
  SuspenseMatchRequested: true,
  SuspenseMatched: true,
  SuspenseMatchRefused: true,
  SuspenseReturned: true,
  InboundCreditReversed: true,
};
export const INBOUND_CREDIT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(INBOUND_CREDIT_EVENT_TYPE_LIST));

/** The events that record a credit's outcome: a credit has exactly one. */
export const CREDIT_OUTCOME_EVENT_TYPES: ReadonlySet<string> = new Set<InboundCreditEvent['type']>(['CreditClassified', 'CreditSuspended', 'CreditReturned']);

export type CreditStatus = 'CLASSIFIED' | 'SUSPENDED' | 'RETURNED' | 'MATCHED' | 'RETURNED_FROM_SUSPENSE' | 'REVERSED';

export interface InboundCreditState {
  /** Events folded so far: the revision the stream's next event gets. */
  version: number;
  received?: InboundCreditReceived['data'];
  /** The answer given to the ESB for this bank reference; retries get it again. Absent while only claimed. */
  firstOutcome?: CreditOutcome;
  /** Where the money is now; absent while only claimed. */
  status?: CreditStatus;
  placement?: { lotId: string; bondId: string };
  suspenseBank?: string;
  /** A match requested and not yet answered by its lot, with the revision of its request event. */
  pendingMatch?: SuspenseMatchRequested['data'] & { anchorRevision: number };
}

export const initialInboundCreditState: InboundCreditState = { version: 0 };

export function evolveInboundCredit(state: InboundCreditState, event: InboundCreditEvent): InboundCreditState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'InboundCreditReceived':
      return { ...next, received: event.data };
    case 'CreditClassified': {
      const { creditId: _c, ...placement } = event.data;
      return { ...next, firstOutcome: { outcome: 'CLASSIFIED', ...placement }, status: 'CLASSIFIED', placement: { lotId: placement.lotId, bondId: placement.bondId } };
    }
    case 'CreditSuspended': {
      const { reason, bankCode } = event.data;
      return { ...next, firstOutcome: { outcome: 'SUSPENDED', reason, bankCode }, status: 'SUSPENDED', suspenseBank: bankCode };
    }
    case 'CreditReturned': {
      const outcome: CreditOutcome = { outcome: 'RETURNED', reason: event.data.reason };
      if (event.data.lotId !== undefined) outcome.lotId = event.data.lotId;
      return { ...next, firstOutcome: outcome, status: 'RETURNED' };
    }
    case 'SuspenseMatchRequested':
      return { ...next, pendingMatch: { ...event.data, anchorRevision: state.version } };
    case 'SuspenseMatched': {
      const { pendingMatch: _answered, ...rest } = next;
      return { ...rest, status: 'MATCHED', placement: { lotId: event.data.lotId, bondId: event.data.bondId } };
    }
    case 'SuspenseMatchRefused': {
      const { pendingMatch: _answered, ...rest } = next;
      return rest;
    }
    case 'SuspenseReturned':
      return { ...next, status: 'RETURNED_FROM_SUSPENSE' };
    case 'InboundCreditReversed':
      return { ...next, status: 'REVERSED' };
    default:
      return unreachable(event);
  }
}

/** The bank whose suspense account holds a SUSPENDED credit: its CreditSuspended named it. */
export function suspenseBankOf(state: InboundCreditState): string {
  if (state.suspenseBank === undefined) throw new RangeError('inbound credit: in suspense with no suspense bank');
  return state.suspenseBank;
}

/** The anchor's fold: what every reader of a credit stream (commands, the audit) replays. */
export const inboundCreditFold = { initialState: initialInboundCreditState, evolve: evolveInboundCredit };
