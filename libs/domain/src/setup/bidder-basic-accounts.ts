import { type DomainEvent, type Plan, type StreamWrite, conflict, ruleBroken, unreachable, writesOf } from '../decider';
import type { CalendarDate } from '../interest';
import { businessDateOf } from '../lot/business-time';
import {
  type AccountRef,
  type BasicAccountEvent,
  type BasicAccountState,
  type DeclarationScope,
  basicAccountDecider,
  basicAccountStream,
  holdingOf,
} from './basic-account-registry';

/**
 * A bidder's basic accounts (issue #14 item 5, docs/rules.md "Basic accounts"): by law a company has
 * exactly one basic deposit account, so each scope — a center's own declarations, or the bank's — holds
 * at most one per bidder at a time. A change replaces it, dated, with an evidence reference; an operator's
 * declaration (the bank's, confirmed) replaces every center's different one. One stream per bidder,
 * `bidder-{bidderId}`; the accounts' streams (basic-account-registry.ts) get the matching holdings, so the
 * inbound path still reads one stream.
 */

export const BIDDER_STREAM_PREFIX = 'bidder-';

export function bidderStream(bidderId: string): string {
  return `${BIDDER_STREAM_PREFIX}${bidderId}`;
}

// Events

/** A holding some declaration ended: its scope and account. */
export interface EndedHolding extends AccountRef {
  readonly centerId?: string;
}

export interface BidderBasicAccountSetData extends AccountRef {
  readonly bidderId: string;
  /** The scope: the declaring center; absent: the bank's (an operator's). */
  readonly centerId?: string;
  readonly accountName: string;
  readonly declaredOn: CalendarDate;
  readonly evidenceRef?: string;
  /** The holdings this declaration ended: the scope's previous account, and for the bank's, centers' different ones. */
  readonly ended: readonly EndedHolding[];
}

export type BidderBasicAccountSet = DomainEvent<'BidderBasicAccountSet', BidderBasicAccountSetData>;

export type BidderEvent = BidderBasicAccountSet;

// State

/** The bidder's basic account in one scope, as last declared. */
export type ScopedBasicAccount = BidderBasicAccountSetData;

export interface BidderBasicAccountsState {
  /** One per scope (a center's, the bank's), in the order first declared. */
  readonly accounts: readonly ScopedBasicAccount[];
}

export const initialBidderState: BidderBasicAccountsState = { accounts: [] };

export function accountInScope(state: BidderBasicAccountsState, scope: DeclarationScope): ScopedBasicAccount | undefined {
  return state.accounts.find((account) => account.centerId === scope.centerId);
}

/** The bidder was declared for a lot of this center (by it, or by the bank): its legacy declarations no longer count there. */
export function declaredFor(state: BidderBasicAccountsState, centerId: string): boolean {
  return state.accounts.some((account) => account.centerId === undefined || account.centerId === centerId);
}

export function evolveBidder(state: BidderBasicAccountsState, event: BidderEvent): BidderBasicAccountsState {
  switch (event.type) {
    case 'BidderBasicAccountSet': {
      const set = event.data;
      // The scope's entry is replaced; the bank's declaration also ends the centers' entries it names.
      const endedScopes = new Set(set.ended.filter((ended) => ended.centerId !== set.centerId).map((ended) => ended.centerId));
      const kept = state.accounts.filter((account) => account.centerId !== set.centerId && !endedScopes.has(account.centerId));
      return { accounts: [...kept, set] };
    }
    default:
      return unreachable(event.type);
  }
}

export const bidderFold = { initialState: initialBidderState, evolve: evolveBidder };

// The decision

export interface BasicAccountDeclarationRequest extends DeclarationScope {
  readonly bidderId: string;
  readonly accountNo: string;
  readonly accountName: string;
  readonly bankCode: string;
  readonly evidenceRef?: string | undefined;
}

/**
 * What POST /v1/bidders/{bidderId}/basic-account answers: the declaration recorded — the contract's fields,
 * plus the scope, evidence and replaced account when there are any (the date is in the events).
 */
export interface BasicAccountAnswer {
  bidderId: string;
  accountNo: string;
  accountName: string;
  bankCode: string;
  centerId?: string;
  evidenceRef?: string;
  replaces?: AccountRef;
}

export interface BasicAccountDeclarationFacts {
  readonly request: BasicAccountDeclarationRequest;
  /** The ledger's clock reading: `declaredOn` is its business date (Asia/Shanghai). */
  readonly now: string;
  readonly bidder: BidderBasicAccountsState;
  /** The state of every account stream `accountsToRead` named. */
  readonly accounts: (accountNo: string) => BasicAccountState;
}

/** The account streams the decision reads: the requested account's and every one the bidder's entries name. */
export function accountsToRead(bidder: BidderBasicAccountsState, request: { readonly accountNo: string }): string[] {
  const named = bidder.accounts.flatMap((account) => [account.accountNo, ...account.ended.map((ended) => ended.accountNo)]);
  return [...new Set([request.accountNo, ...named])];
}

const sameAccount = (a: AccountRef, b: AccountRef) => a.accountNo === b.accountNo && a.bankCode === b.bankCode;

/**
 * Declares a bidder's basic account in the request's scope. A first declaration needs no evidence; a
 * different account than the scope's current one replaces it and needs `evidenceRef`. A center may not
 * contradict the bank's confirmed account (409 BASIC_ACCOUNT_CONFIRMED); the bank's declaration ends the
 * centers' different ones. Writes the bidder's stream first, then the accounts' (protocol order); a
 * repeat finds a write another attempt left unfinished and completes it.
 */
export function decideBasicAccountDeclaration(facts: BasicAccountDeclarationFacts): Plan<BasicAccountAnswer> {
  const { request, bidder } = facts;
  const { bidderId, centerId } = request;
  const current = accountInScope(bidder, request);
  if (current && sameAccount(current, request)) {
    const finishing = holdingWrites(current, facts.accounts);
    if (finishing.length === 0) {
      return { writes: [], rejection: conflict('BASIC_ACCOUNT_ALREADY_DECLARED', `bidder ${bidderId} has already declared ${request.accountNo} as its basic account`, 'accountNo') };
    }
    return { writes: finishing, answer: answerOf(current) };
  }
  const confirmed = accountInScope(bidder, {});
  if (centerId !== undefined && confirmed && !sameAccount(confirmed, request)) {
    return {
      writes: [],
      rejection: conflict('BASIC_ACCOUNT_CONFIRMED', `the bank confirmed ${confirmed.accountNo} as the basic account of bidder ${bidderId}; an operator changes it`, 'accountNo'),
    };
  }
  // What this declaration ends: the scope's current account; for the bank's, every center's different one.
  const ended: EndedHolding[] = [
    ...(current ? [endedOf(current)] : []),
    ...(centerId === undefined ? bidder.accounts.filter((account) => account.centerId !== undefined && !sameAccount(account, request)).map(endedOf) : []),
  ];
  const [replaced] = ended;
  if (replaced && request.evidenceRef === undefined) {
    return {
      writes: [],
      rejection: ruleBroken('EVIDENCE_REQUIRED', `bidder ${bidderId} has basic account ${replaced.accountNo}: a change needs the evidence it rests on`, 'evidenceRef'),
    };
  }
  const set: BidderBasicAccountSetData = {
    bidderId,
    accountNo: request.accountNo,
    bankCode: request.bankCode,
    accountName: request.accountName,
    declaredOn: businessDateOf(facts.now),
    ...(centerId === undefined ? {} : { centerId }),
    ...(request.evidenceRef === undefined ? {} : { evidenceRef: request.evidenceRef }),
    ended,
  };
  // The account's own rules (a center may not claim an account the bank confirmed for another bidder).
  const declared = basicAccountDecider.decide(declareCommand(set), facts.accounts(set.accountNo));
  if ('rejected' in declared) return { writes: [], rejection: declared };
  return {
    writes: [{ stream: bidderStream(bidderId), events: [{ type: 'BidderBasicAccountSet', data: set }] }, ...holdingWrites(set, facts.accounts)],
    answer: answerOf(set),
  };
}

function endedOf(account: ScopedBasicAccount): EndedHolding {
  return { accountNo: account.accountNo, bankCode: account.bankCode, ...(account.centerId === undefined ? {} : { centerId: account.centerId }) };
}

function declareCommand(set: BidderBasicAccountSetData) {
  const previous = set.ended.find((ended) => ended.centerId === set.centerId);
  return {
    type: 'DeclareBasicAccount' as const,
    bidderId: set.bidderId,
    accountNo: set.accountNo,
    accountName: set.accountName,
    bankCode: set.bankCode,
    centerId: set.centerId,
    declaredOn: set.declaredOn,
    evidenceRef: set.evidenceRef,
    replaces: previous === undefined ? undefined : { accountNo: previous.accountNo, bankCode: previous.bankCode },
  };
}

/**
 * The accounts' events a bidder's entry stands for and their streams do not hold yet: the declared
 * account held in the scope, every ended holding gone. None once the entry is fully written.
 */
function holdingWrites(set: BidderBasicAccountSetData, accounts: (accountNo: string) => BasicAccountState): StreamWrite[] {
  const byStream = new Map<string, BasicAccountEvent[]>();
  const add = (accountNo: string, event: BasicAccountEvent) => byStream.set(accountNo, [...(byStream.get(accountNo) ?? []), event]);
  if (!holdingOf(accounts(set.accountNo), set.bidderId, set.bankCode, set)) {
    const events = basicAccountDecider.decide(declareCommand(set), accounts(set.accountNo));
    // Decided before on the same state (the caller's check): only a refusal-free decision gets here.
    if (!('rejected' in events)) for (const event of events) add(set.accountNo, event);
  }
  for (const ended of set.ended) {
    if (!holdingOf(accounts(ended.accountNo), set.bidderId, ended.bankCode, ended)) continue;
    add(ended.accountNo, {
      type: 'BasicAccountReplaced',
      data: {
        bidderId: set.bidderId,
        accountNo: ended.accountNo,
        bankCode: ended.bankCode,
        ...(ended.centerId === undefined ? {} : { centerId: ended.centerId }),
        replacedBy: { accountNo: set.accountNo, bankCode: set.bankCode },
        ...(set.centerId === undefined ? {} : { changedByCenterId: set.centerId }),
        replacedOn: set.declaredOn,
        // Ended holdings exist only on a change, which needs its evidence.
        evidenceRef: set.evidenceRef ?? '',
      },
    });
  }
  return writesOf(...[...byStream].map(([accountNo, events]) => ({ stream: basicAccountStream(accountNo), events })));
}

function answerOf(set: BidderBasicAccountSetData): BasicAccountAnswer {
  const previous = set.ended.find((ended) => ended.centerId === set.centerId);
  return {
    bidderId: set.bidderId,
    accountNo: set.accountNo,
    accountName: set.accountName,
    bankCode: set.bankCode,
    ...(set.centerId === undefined ? {} : { centerId: set.centerId }),
    ...(set.evidenceRef === undefined ? {} : { evidenceRef: set.evidenceRef }),
    ...(previous === undefined ? {} : { replaces: { accountNo: previous.accountNo, bankCode: previous.bankCode } }),
  };
}
