import { Decider, DomainEvent, conflict, notFound, ruleBroken } from '../decider';
import { Posting, clearingAccount, suspenseAccount, transfer } from '../ledger';
import type { CreditFlag, Payer } from '../lot';

/**
 * The inbound credit, one stream per bank reference (`inbound-credit-{bankRef}`), created with
 * NO_STREAM: the idempotency anchor of the ESB's postings. It records what arrived and how it ended:
 * classified to a lot's bond (whose postings live in the lot's stream), suspended (postings here),
 * or returned at the door (no postings: the money never enters a sub-account).
 */

export const inboundCreditStream = (bankRef: string) => `inbound-credit-${bankRef}`;

export type SuspenseReason = 'UNKNOWN_VIRTUAL_ACCOUNT' | 'BAD_CHECK_DIGIT' | 'AMBIGUOUS_PAYER';
export type ReturnReason = 'AFTER_DEADLINE' | 'NOT_BASIC_ACCOUNT' | 'LOT_CLOSED' | 'CURRENCY_NOT_SUPPORTED';
export type Channel = 'HVPS' | 'BEPS' | 'INTERNAL';

export interface InboundCreditRequest {
  bankRef: string;
  channel: Channel;
  receivedAt: string;
  valueDate: string;
  amount: string;
  currency: string;
  payer: Payer;
  payeeAccountNo: string;
  remittanceInfo?: string;
}

export type CreditOutcome =
  | { outcome: 'CLASSIFIED'; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: CreditFlag[] }
  | { outcome: 'SUSPENDED'; reason: SuspenseReason; bankCode: string }
  | { outcome: 'RETURNED'; reason: ReturnReason; lotId?: string };

export type InboundCreditReceived = DomainEvent<
  'InboundCreditReceived',
  InboundCreditRequest & { creditId: string; requestHash: string }
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
export type SuspenseMatched = DomainEvent<
  'SuspenseMatched',
  { creditId: string; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: CreditFlag[] }
>;
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
  | SuspenseMatched
  | SuspenseReturned
  | InboundCreditReversed;

export interface InboundCreditState {
  received?: InboundCreditReceived['data'];
  /** The answer given to the ESB for this bank reference; retries get it again. */
  firstOutcome?: CreditOutcome;
  /** Where the money is now. */
  status?: 'CLASSIFIED' | 'SUSPENDED' | 'RETURNED' | 'MATCHED' | 'RETURNED_FROM_SUSPENSE' | 'REVERSED';
  placement?: { lotId: string; bondId: string };
  suspenseBank?: string;
}

export interface RecordInboundCredit {
  type: 'RecordInboundCredit';
  creditId: string;
  requestHash: string;
  request: InboundCreditRequest;
  outcome: CreditOutcome;
}

export interface RecordSuspenseResolution {
  type: 'RecordSuspenseResolution';
  resolution: { action: 'RETURN' } | { action: 'MATCH'; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: CreditFlag[] };
}

export interface RecordReversal {
  type: 'RecordReversal';
  bankRef: string;
  reason: string;
}

export type InboundCreditCommand = RecordInboundCredit | RecordSuspenseResolution | RecordReversal;

/** A credit can be taken out of suspense only while it is there. */
export function suspenseResolvable(state: InboundCreditState) {
  if (!state.received) return notFound('CREDIT_NOT_FOUND', 'no such credit', 'creditId');
  if (state.status !== 'SUSPENDED') {
    return conflict('NOT_IN_SUSPENSE', `the credit is ${state.status}, not in suspense`, 'creditId');
  }
  return undefined;
}

function recordInboundCredit(command: RecordInboundCredit, state: InboundCreditState) {
  if (state.received) {
    return state.received.requestHash === command.requestHash
      ? []
      : conflict('DUPLICATE_BANK_REF', `bank reference ${command.request.bankRef} was posted with another body`, 'bankRef');
  }
  const { creditId, requestHash, request, outcome } = command;
  const received: InboundCreditEvent = { type: 'InboundCreditReceived', data: { ...request, creditId, requestHash } };
  switch (outcome.outcome) {
    case 'CLASSIFIED': {
      const { outcome: _kind, ...placement } = outcome;
      // An optional field is absent, never undefined: the event must read back from JSON as decided.
      if (placement.bidderId === undefined) delete placement.bidderId;
      return [received, { type: 'CreditClassified', data: { creditId, ...placement } }] as InboundCreditEvent[];
    }
    case 'SUSPENDED':
      return [
        received,
        {
          type: 'CreditSuspended',
          data: {
            creditId,
            reason: outcome.reason,
            bankCode: outcome.bankCode,
            amount: request.amount,
            postings: [...transfer(clearingAccount(outcome.bankCode), suspenseAccount(outcome.bankCode), request.amount)],
          },
        },
      ] as InboundCreditEvent[];
    case 'RETURNED': {
      const data: CreditReturned['data'] = { creditId, reason: outcome.reason, returnTo: request.payer, amount: request.amount };
      if (outcome.lotId !== undefined) data.lotId = outcome.lotId;
      return [received, { type: 'CreditReturned', data }] as InboundCreditEvent[];
    }
  }
}

function recordSuspenseResolution(command: RecordSuspenseResolution, state: InboundCreditState) {
  const refused = suspenseResolvable(state);
  if (refused) return refused;
  const received = state.received!;
  const bankCode = state.suspenseBank!;
  if (command.resolution.action === 'RETURN') {
    return [
      {
        type: 'SuspenseReturned',
        data: {
          creditId: received.creditId,
          bankCode,
          returnTo: received.payer,
          amount: received.amount,
          postings: [...transfer(suspenseAccount(bankCode), clearingAccount(bankCode), received.amount)],
        },
      },
    ] as InboundCreditEvent[];
  }
  const { action: _action, ...placement } = command.resolution;
  if (placement.bidderId === undefined) delete placement.bidderId;
  return [{ type: 'SuspenseMatched', data: { creditId: received.creditId, ...placement } }] as InboundCreditEvent[];
}

function recordReversal(command: RecordReversal, state: InboundCreditState) {
  const received = state.received;
  if (!received) return notFound('CREDIT_NOT_FOUND', 'no such credit', 'creditId');
  if (command.bankRef !== received.bankRef) {
    return ruleBroken('BANK_REF_MISMATCH', `credit ${received.creditId} has bank reference ${received.bankRef}`, 'bankRef');
  }
  if (state.status === 'REVERSED') return [];
  if (state.status === 'RETURNED_FROM_SUSPENSE') {
    return ruleBroken('CREDIT_ALREADY_PAID_OUT', 'the credit was already returned from suspense', 'creditId');
  }
  const data: InboundCreditReversed['data'] = { creditId: received.creditId, bankRef: received.bankRef, reason: command.reason };
  if (state.placement) data.lotId = state.placement.lotId;
  if (state.status === 'SUSPENDED') {
    data.postings = [...transfer(suspenseAccount(state.suspenseBank!), clearingAccount(state.suspenseBank!), received.amount)];
  }
  return [{ type: 'InboundCreditReversed', data }] as InboundCreditEvent[];
}

export function evolveInboundCredit(state: InboundCreditState, event: InboundCreditEvent): InboundCreditState {
  switch (event.type) {
    case 'InboundCreditReceived':
      return { ...state, received: event.data };
    case 'CreditClassified': {
      const { creditId: _c, ...placement } = event.data;
      return { ...state, firstOutcome: { outcome: 'CLASSIFIED', ...placement }, status: 'CLASSIFIED', placement: { lotId: placement.lotId, bondId: placement.bondId } };
    }
    case 'CreditSuspended': {
      const { reason, bankCode } = event.data;
      return { ...state, firstOutcome: { outcome: 'SUSPENDED', reason, bankCode }, status: 'SUSPENDED', suspenseBank: bankCode };
    }
    case 'CreditReturned': {
      const outcome: CreditOutcome = { outcome: 'RETURNED', reason: event.data.reason };
      if (event.data.lotId !== undefined) outcome.lotId = event.data.lotId;
      return { ...state, firstOutcome: outcome, status: 'RETURNED' };
    }
    case 'SuspenseMatched':
      return { ...state, status: 'MATCHED', placement: { lotId: event.data.lotId, bondId: event.data.bondId } };
    case 'SuspenseReturned':
      return { ...state, status: 'RETURNED_FROM_SUSPENSE' };
    case 'InboundCreditReversed':
      return { ...state, status: 'REVERSED' };
  }
}

export const inboundCreditDecider: Decider<InboundCreditCommand, InboundCreditEvent, InboundCreditState> = {
  initialState: {},
  decide(command, state) {
    switch (command.type) {
      case 'RecordInboundCredit':
        return recordInboundCredit(command, state);
      case 'RecordSuspenseResolution':
        return recordSuspenseResolution(command, state);
      case 'RecordReversal':
        return recordReversal(command, state);
    }
  },
  evolve: evolveInboundCredit,
};
