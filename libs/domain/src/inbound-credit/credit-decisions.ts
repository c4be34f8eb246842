import { type Plan, type Rejection, type StreamWrite, conflict, isRejection, notFound, ruleBroken, writesOf } from '../decider';
import { clearingAccount, suspenseAccount, transfer } from '../ledger';
import {
  type CreditBond,
  type CreditFlag,
  type CreditSource,
  type LotEvent,
  type LotRefusalReason,
  type LotState,
  lotCreditDecision,
  lotDecider,
  lotStream,
} from '../lot';
import { CURRENCY } from '../money';
import type { VirtualAccountIssuedData } from '../setup';
import { type VirtualAccountNoClassification, classifyVirtualAccountNo } from '../virtual-account';
import {
  type CreditOutcome,
  type CreditRoute,
  type InboundCreditEvent,
  type InboundCreditReceived,
  type InboundCreditRequest,
  type InboundCreditState,
  type ReturnReason,
  type SuspenseReason,
  creditIdFor,
  inboundCreditStream,
  suspenseBankOf,
} from './inbound-credit';
import { implausibleDates } from './credit-dates';

/**
 * The decisions on an inbound credit, one pure function per command, each deciding the whole outcome and
 * the events of every stream it touches (the credit's anchor, a lot) from the states and facts the
 * command handler gathered. Each is resumable: given the states after some of its own writes (a store
 * that commits streams one by one stopped between them), it decides only what is left — the same
 * outcome — so the next request on the credit, whichever it is, finishes the work.
 */

// ---- answers ----

export interface InboundCreditAnswer {
  creditId: string;
  bankRef: string;
  outcome: CreditOutcome['outcome'];
  reason?: string;
  lotId?: string;
  bidderId?: string;
  bondId?: string;
  flags: string[];
}

export interface CreditStatusAnswer {
  creditId: string;
  bankRef: string;
  status: 'REVERSED';
}

export type SuspenseResolutionAnswer =
  | { creditId: string; action: 'RETURN'; status: 'RETURNED' }
  | { creditId: string; action: 'MATCH'; status: 'MATCHED'; lotId: string; bondId: string; bidderId?: string; virtualAccountNo: string; flags: string[] };

function answerOf(received: InboundCreditReceived['data'], outcome: CreditOutcome): InboundCreditAnswer {
  const answer: InboundCreditAnswer = { creditId: received.creditId, bankRef: received.bankRef, outcome: outcome.outcome, flags: [] };
  if (outcome.outcome === 'CLASSIFIED') {
    answer.lotId = outcome.lotId;
    answer.bondId = outcome.bondId;
    if (outcome.bidderId !== undefined) answer.bidderId = outcome.bidderId;
    answer.flags = outcome.flags;
  } else {
    answer.reason = outcome.reason;
    if (outcome.outcome === 'RETURNED' && outcome.lotId !== undefined) answer.lotId = outcome.lotId;
  }
  return answer;
}

// ---- the receiving bank and the payee ----

/** The banks this ledger serves (configuration), as the decisions need them. */
export interface BankDirectory {
  readonly bankCodes: ReadonlySet<string>;
  readonly prefixes: ReadonlySet<string>;
  bankOfPrefix(prefix: string): string | undefined;
  /** The bank that takes money sent to numbers naming no bank of ours. */
  readonly operatingBank: string;
}

/**
 * The bank that received the money, whose clearing account it arrived in and whose bank references it
 * carries: `payeeBankCode` when the ESB sends it, else the bank whose prefix the payee number carries,
 * else the ledger's first bank. A named bank this ledger does not serve is refused: no account of ours
 * received the money.
 */
export function receivingBankOf(request: Pick<InboundCreditRequest, 'payeeBankCode' | 'payeeAccountNo'>, banks: BankDirectory): string | Rejection {
  if (request.payeeBankCode !== undefined) {
    return banks.bankCodes.has(request.payeeBankCode)
      ? request.payeeBankCode
      : ruleBroken('BANK_NOT_SUPPORTED', `bank ${request.payeeBankCode} is not served by this ledger`, 'payeeBankCode');
  }
  const classification = classifyVirtualAccountNo(request.payeeAccountNo, banks.prefixes);
  const prefixBank = 'prefix' in classification ? banks.bankOfPrefix(classification.prefix) : undefined;
  return prefixBank ?? banks.operatingBank;
}

/** A payee number as a bank reads it: its form, and the issued record of a number that is in use. */
export interface PayeeFacts {
  readonly classification: VirtualAccountNoClassification;
  readonly issued?: VirtualAccountIssuedData;
}

/**
 * Where money to a payee number goes at `bankCode`: a lot's virtual account issued by that bank, or
 * suspense (a mistyped number, or one that names no account of this bank).
 */
function routeOf(payee: PayeeFacts, bankCode: string, lot: LotState | undefined): CreditRoute | { suspense: SuspenseReason } {
  if (payee.classification.kind === 'BAD_CHECK_DIGIT') return { suspense: 'BAD_CHECK_DIGIT' };
  const issued = payee.issued;
  if (payee.classification.kind !== 'VIRTUAL' || !issued || issued.bankCode !== bankCode || !lot?.terms || lot.terms.lotId !== issued.lotId) {
    return { suspense: 'UNKNOWN_VIRTUAL_ACCOUNT' };
  }
  return { lotId: issued.lotId, virtualAccountNo: issued.virtualAccountNo, ...(issued.bidderId === undefined ? {} : { bidderId: issued.bidderId }) };
}

/**
 * The lot whose state a decision on the credit needs before any other: the one a half-finished command
 * left work in (a requested match, a claimed credit's route), else the one that holds the money. The
 * handler reads it (or, when this is undefined, the lot the command names).
 */
export function lotInPlay(anchor: InboundCreditState): string | undefined {
  if (anchor.pendingMatch) return anchor.pendingMatch.lotId;
  if (anchor.received && !anchor.firstOutcome) return anchor.received.route?.lotId;
  return anchor.placement?.lotId;
}

/** The lot an intake decision needs: none once the credit has its outcome, else `lotInPlay`, else the payee's. */
export function intakeLot(anchor: InboundCreditState, payee: PayeeFacts): string | undefined {
  if (anchor.received) return anchor.firstOutcome ? undefined : lotInPlay(anchor);
  return payee.issued?.lotId;
}

// ---- the lot's part ----

/** A lot refusal as the credit's outcome: returned to the payer, or suspended for an operator. */
function outcomeOfRefusal(reason: LotRefusalReason): { outcome: 'RETURNED'; reason: ReturnReason } | { outcome: 'SUSPENDED'; reason: SuspenseReason } {
  switch (reason) {
    case 'AFTER_DEADLINE':
    case 'NOT_BASIC_ACCOUNT':
    case 'LOT_CLOSED':
      return { outcome: 'RETURNED', reason };
    case 'AMBIGUOUS_PAYER':
    case 'AMOUNT_LIMIT':
      return { outcome: 'SUSPENDED', reason };
  }
}

const REFUSAL_MESSAGES: { readonly [reason in LotRefusalReason]: string } = {
  AFTER_DEADLINE: 'the credit was received after the deposit deadline',
  NOT_BASIC_ACCOUNT: "the payer account is not the bidder's declared basic account",
  LOT_CLOSED: 'the tender is terminated, the bidder withdrew, or the bond is paid out or being paid out',
  AMBIGUOUS_PAYER: 'the payer account is declared as basic account by several bidders',
  AMOUNT_LIMIT: 'the bond would exceed the amount limit of one payment',
};

/** What the credit's decisions need of the lot's: where the money went, or why the lot refused it. */
type LotAnswer =
  | { readonly taken: true; readonly bondId: string; readonly flags: CreditFlag[]; readonly bidderId?: string }
  | { readonly taken: false; readonly reason: LotRefusalReason };

/**
 * The lot's answer: read from the event it decided now (the lot's state after it is the kernel's to
 * fold, once), or from its state when it had decided before.
 */
function lotAnswerOf(lot: LotState, events: readonly LotEvent[], creditId: string, anchorRevision: number): LotAnswer {
  const [decided] = events;
  if (decided?.type === 'BondCredited') {
    const { bondId, flags, bidderId } = decided.data;
    return bidderId === undefined ? { taken: true, bondId, flags } : { taken: true, bondId, flags, bidderId };
  }
  if (decided?.type === 'CreditRefused') return { taken: false, reason: decided.data.reason };
  // No new event: the lot decided this request before, so its state holds the decision.
  const before = lotCreditDecision(lot, creditId, anchorRevision);
  if (!before) throw new Error(`lot ${lot.terms?.lotId} decided nothing on credit ${creditId} at revision ${anchorRevision}`);
  if (!before.taken) return before;
  const { bondId, flags } = before.credit;
  const bidderId = before.bond.bidderId;
  return bidderId === undefined ? { taken: true, bondId, flags } : { taken: true, bondId, flags, bidderId };
}

/**
 * The lot decides (or has decided: it decides each request once) one request of the credit, made under
 * the anchor event at `anchorRevision`: its events, and its answer.
 */
function lotDecides(
  lot: LotState,
  received: InboundCreditReceived['data'],
  route: CreditRoute,
  source: CreditSource,
  anchorRevision: number,
  payerDeclaredBy: readonly string[],
): { events: readonly LotEvent[]; decision: LotAnswer } | Rejection {
  if (lot.terms?.lotId !== route.lotId) throw new Error(`the lot ${route.lotId} of credit ${received.creditId} was not given to the decision`);
  const command: CreditBond = {
    type: 'CreditBond',
    creditId: received.creditId,
    anchorRevision,
    bankRef: received.bankRef,
    requestHash: received.requestHash,
    source,
    receivedAt: received.receivedAt,
    valueDate: received.valueDate,
    amount: received.amount,
    payer: received.payer,
    // The receiving bank's own virtual account: its clearing (or suspense) account is where the money is.
    virtualAccount: { virtualAccountNo: route.virtualAccountNo, bankCode: received.bankCode, ...(route.bidderId === undefined ? {} : { bidderId: route.bidderId }) },
    payerDeclaredBy: [...payerDeclaredBy],
  };
  const events = lotDecider.decide(command, lot);
  if (isRejection(events)) return events;
  return { events, decision: lotAnswerOf(lot, events, command.creditId, command.anchorRevision) };
}

// ---- intake: POST /v1/inbound-credits ----

export interface InboundCreditFacts {
  readonly request: InboundCreditRequest;
  /** The request's fingerprint: the same bank reference with another body is refused. */
  readonly requestHash: string;
  /** `receivingBankOf` the request. */
  readonly bankCode: string;
  readonly anchor: InboundCreditState;
  readonly payee: PayeeFacts;
  /** The lot of `lotInPlay(anchor)`, else of the payee's issued record; undefined when neither names one. */
  readonly lot: LotState | undefined;
  /** Bidders that declared the payer's account (same bank) as their basic account, in declaration order. */
  readonly payerDeclaredBy: readonly string[];
  /** The ledger's clock: a credit received beyond it is suspended (`implausibleDates`). */
  readonly now: string;
}

/**
 * An inbound credit: classified into a lot's bond, returned, or suspended — never refused once the
 * request is well-formed, since the money has arrived. The anchor is claimed first (the fingerprint, and
 * the lot the payee number routes to); the lot then takes or refuses the money, once; the anchor then
 * records the outcome. A credit that goes to no lot is claimed and ended in one append.
 */
export function decideInboundCredit(facts: InboundCreditFacts): Plan<InboundCreditAnswer> {
  const { request, requestHash, bankCode, anchor } = facts;
  const received = anchor.received;
  if (received) {
    if (received.requestHash !== requestHash) {
      return { writes: [], rejection: conflict('DUPLICATE_BANK_REF', `bank reference ${request.bankRef} was posted with another body`, 'bankRef') };
    }
    if (anchor.firstOutcome) return { writes: [], answer: answerOf(received, anchor.firstOutcome) };
    return finishIntake(received, facts.lot, facts.payerDeclaredBy);
  }

  const creditId = creditIdFor(bankCode, request.bankRef);
  const stream = inboundCreditStream(bankCode, request.bankRef);
  const claim: InboundCreditReceived['data'] = { ...request, creditId, requestHash, bankCode };
  if (request.currency !== CURRENCY) {
    const outcome: CreditOutcome = { outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' };
    return { writes: [{ stream, events: [{ type: 'InboundCreditReceived', data: claim }, outcomeEvent(claim, outcome)] }], answer: answerOf(claim, outcome) };
  }
  // Dates that cannot be true go to an operator before any lot sees them: they would decide the deadline and the interest.
  const badDates = implausibleDates(request, facts.now);
  const route = badDates === undefined ? routeOf(facts.payee, bankCode, facts.lot) : { suspense: badDates };
  if ('suspense' in route) {
    const outcome: CreditOutcome = { outcome: 'SUSPENDED', reason: route.suspense, bankCode };
    return { writes: [{ stream, events: [{ type: 'InboundCreditReceived', data: claim }, outcomeEvent(claim, outcome)] }], answer: answerOf(claim, outcome) };
  }
  const claimed: InboundCreditReceived = { type: 'InboundCreditReceived', data: { ...claim, route } };
  const finished = finishIntake(claimed.data, facts.lot, facts.payerDeclaredBy);
  if ('answer' in finished) return { writes: [{ stream, events: [claimed] }, ...finished.writes], answer: finished.answer };
  return finished;
}

/** A claimed credit whose outcome is not written yet: the lot of its route decides, the anchor records it. */
function finishIntake(received: InboundCreditReceived['data'], lot: LotState | undefined, payerDeclaredBy: readonly string[]): Plan<InboundCreditAnswer> {
  const route = received.route;
  if (!route || !lot) throw new Error(`credit ${received.creditId} is claimed without its outcome and without a lot to decide it`);
  const decided = lotDecides(lot, received, route, 'INBOUND', 0, payerDeclaredBy);
  if ('rejected' in decided) return { writes: [], rejection: decided };
  const outcome = outcomeOfLotDecision(route, decided.decision, received.bankCode);
  return {
    writes: writesOf({ stream: lotStream(route.lotId), events: decided.events }, { stream: streamOf(received), events: [outcomeEvent(received, outcome)] }),
    answer: answerOf(received, outcome),
  };
}

function outcomeOfLotDecision(route: CreditRoute, decision: LotAnswer, bankCode: string): CreditOutcome {
  if (decision.taken) return placementOf(route, decision);
  const refusal = outcomeOfRefusal(decision.reason);
  return refusal.outcome === 'RETURNED' ? { ...refusal, lotId: route.lotId } : { ...refusal, bankCode };
}

function placementOf(route: CreditRoute, decision: LotAnswer & { taken: true }): CreditOutcome & { outcome: 'CLASSIFIED' } {
  const placement: CreditOutcome & { outcome: 'CLASSIFIED' } = {
    outcome: 'CLASSIFIED',
    lotId: route.lotId,
    bondId: decision.bondId,
    virtualAccountNo: route.virtualAccountNo,
    flags: decision.flags,
  };
  if (decision.bidderId !== undefined) placement.bidderId = decision.bidderId;
  return placement;
}

function streamOf(received: InboundCreditReceived['data']): string {
  return inboundCreditStream(received.bankCode, received.bankRef);
}

/** The event that records an outcome on the anchor, with the postings of money taken into suspense. */
function outcomeEvent(received: InboundCreditReceived['data'], outcome: CreditOutcome): InboundCreditEvent {
  const creditId = received.creditId;
  switch (outcome.outcome) {
    case 'CLASSIFIED': {
      const { outcome: _kind, ...placement } = outcome;
      return { type: 'CreditClassified', data: { creditId, ...placement } };
    }
    case 'SUSPENDED':
      return {
        type: 'CreditSuspended',
        data: {
          creditId,
          reason: outcome.reason,
          bankCode: outcome.bankCode,
          amount: received.amount,
          postings: [...transfer(clearingAccount(outcome.bankCode), suspenseAccount(outcome.bankCode), received.amount)],
        },
      };
    case 'RETURNED': {
      const data = { creditId, reason: outcome.reason, returnTo: received.payer, amount: received.amount };
      return { type: 'CreditReturned', data: outcome.lotId === undefined ? data : { ...data, lotId: outcome.lotId } };
    }
  }
}

// ---- work another request left half done ----

type Finished = { writes: StreamWrite[]; matched?: SuspenseResolutionAnswer & { action: 'MATCH' }; refused?: LotRefusalReason };

/**
 * Finishes what a command on the credit left half written — a requested match its lot has not answered
 * (or whose answer the anchor has not recorded), or a claim without its outcome — or undefined when
 * nothing is half done. Every command on a credit starts here, so a half-written command holds up no
 * other and is finished exactly as it began.
 */
function finishHalfDone(
  received: InboundCreditReceived['data'],
  anchor: InboundCreditState,
  lot: LotState | undefined,
  payerDeclaredBy: readonly string[],
): Finished | Rejection | undefined {
  const creditId = received.creditId;
  const pending = anchor.pendingMatch;
  if (pending) {
    if (!lot) throw new Error(`credit ${creditId} has a requested match into lot ${pending.lotId}, which was not given to the decision`);
    const decided = lotDecides(lot, received, pending, 'SUSPENSE', pending.anchorRevision, payerDeclaredBy);
    if ('rejected' in decided) return decided;
    const stream = streamOf(received);
    const lotWrite = { stream: lotStream(pending.lotId), events: decided.events };
    if (!decided.decision.taken) {
      const refusedEvent: InboundCreditEvent = { type: 'SuspenseMatchRefused', data: { creditId, lotId: pending.lotId, reason: decided.decision.reason } };
      return { writes: writesOf(lotWrite, { stream, events: [refusedEvent] }), refused: decided.decision.reason };
    }
    const { outcome: _kind, ...placement } = placementOf(pending, decided.decision);
    return {
      writes: writesOf(lotWrite, { stream, events: [{ type: 'SuspenseMatched', data: { creditId, ...placement } }] }),
      matched: { creditId, action: 'MATCH', status: 'MATCHED', ...placement },
    };
  }
  if (!anchor.firstOutcome) {
    const finished = finishIntake(received, lot, payerDeclaredBy);
    if ('rejection' in finished) return finished.rejection;
    return { writes: [...finished.writes] };
  }
  return undefined;
}

/** A credit id naming no credit: also what the handler answers for an id this ledger cannot have made. */
export function creditNotFound(creditId: string): Rejection {
  return notFound('CREDIT_NOT_FOUND', `no credit ${creditId}`, 'creditId');
}

// ---- POST /v1/suspense/{creditId}/resolution ----

export interface SuspenseResolutionFacts {
  readonly creditId: string;
  readonly anchor: InboundCreditState;
  readonly resolution: { readonly action: 'RETURN' } | { readonly action: 'MATCH'; readonly virtualAccountNo: string; readonly payee: PayeeFacts };
  /** The lot of `lotInPlay(anchor)`, else of the match's virtual account. */
  readonly lot: LotState | undefined;
  /** Bidders that declared the credit's payer account as their basic account. */
  readonly payerDeclaredBy: readonly string[];
}

/**
 * An operator takes money out of suspense: back to the payer (RETURN), or into the lot of a virtual
 * account (MATCH). A match is requested on the anchor first, so no return, reversal or other match of
 * the credit can run until its lot has taken or refused the money; a match the lot would refuse is
 * refused before anything is written.
 */
export function decideSuspenseResolution(facts: SuspenseResolutionFacts): Plan<SuspenseResolutionAnswer> {
  const { creditId, anchor, resolution } = facts;
  const received = anchor.received;
  if (!received) return { writes: [], rejection: creditNotFound(creditId) };
  const halfDone = finishHalfDone(received, anchor, facts.lot, facts.payerDeclaredBy);
  if (halfDone && 'rejected' in halfDone) return { writes: [], rejection: halfDone };
  if (halfDone) {
    // The same match asked again while its first request was unfinished: this finishes it, and is its answer.
    const sameMatch = resolution.action === 'MATCH' && anchor.pendingMatch?.virtualAccountNo === resolution.virtualAccountNo;
    if (sameMatch && halfDone.matched) return { writes: halfDone.writes, answer: halfDone.matched };
    if (sameMatch && halfDone.refused) return { writes: halfDone.writes, rejection: refusedMatch(halfDone.refused) };
    return { writes: halfDone.writes, decideAgain: true };
  }
  if (anchor.status !== 'SUSPENDED') {
    return { writes: [], rejection: conflict('NOT_IN_SUSPENSE', `the credit is ${anchor.status}, not in suspense`, 'creditId') };
  }
  const stream = streamOf(received);
  const bankCode = suspenseBankOf(anchor);
  if (resolution.action === 'RETURN') {
    return {
      writes: [
        {
          stream,
          events: [
            {
              type: 'SuspenseReturned',
              data: {
                creditId,
                bankCode,
                returnTo: received.payer,
                amount: received.amount,
                postings: [...transfer(suspenseAccount(bankCode), clearingAccount(bankCode), received.amount)],
              },
            },
          ],
        },
      ],
      answer: { creditId, action: 'RETURN', status: 'RETURNED' },
    };
  }

  const { payee, virtualAccountNo } = resolution;
  if (payee.classification.kind === 'BAD_CHECK_DIGIT') {
    return { writes: [], rejection: ruleBroken('BAD_CHECK_DIGIT', 'the virtual account number fails its check digit', 'virtualAccountNo') };
  }
  const issued = payee.issued;
  if (payee.classification.kind !== 'VIRTUAL' || !issued || !facts.lot?.terms) {
    return { writes: [], rejection: notFound('VIRTUAL_ACCOUNT_NOT_FOUND', `no virtual account ${virtualAccountNo}`, 'virtualAccountNo') };
  }
  if (issued.bankCode !== bankCode) {
    return { writes: [], rejection: conflict('SUSPENSE_AT_ANOTHER_BANK', `the money is in the suspense of bank ${bankCode}`, 'virtualAccountNo') };
  }
  const route: CreditRoute = { lotId: issued.lotId, virtualAccountNo: issued.virtualAccountNo, ...(issued.bidderId === undefined ? {} : { bidderId: issued.bidderId }) };
  const anchorRevision = anchor.version;
  const decided = lotDecides(facts.lot, received, route, 'SUSPENSE', anchorRevision, facts.payerDeclaredBy);
  if ('rejected' in decided) return { writes: [], rejection: decided };
  if (!decided.decision.taken) return { writes: [], rejection: refusedMatch(decided.decision.reason) };
  const { outcome: _kind, ...placement } = placementOf(route, decided.decision);
  return {
    writes: [
      { stream, events: [{ type: 'SuspenseMatchRequested', data: { creditId, ...route } }] },
      { stream: lotStream(route.lotId), events: decided.events },
      { stream, events: [{ type: 'SuspenseMatched', data: { creditId, ...placement } }] },
    ],
    answer: { creditId, action: 'MATCH', status: 'MATCHED', ...placement },
  };
}

/** A match the lot refuses: 422 with the lot's reason (AFTER_DEADLINE is judged by the credit's receivedAt). */
function refusedMatch(reason: LotRefusalReason): Rejection {
  return ruleBroken(reason, `the lot refuses the credit: ${REFUSAL_MESSAGES[reason]}`, 'virtualAccountNo');
}

// ---- POST /v1/inbound-credits/{creditId}/status ----

export interface ReversalFacts {
  readonly creditId: string;
  readonly anchor: InboundCreditState;
  readonly bankRef: string;
  readonly reason: string;
  /** The lot of `lotInPlay(anchor)`. */
  readonly lot: LotState | undefined;
  readonly payerDeclaredBy: readonly string[];
}

/**
 * The bank reports that a credit did not settle: its money leaves wherever it is — the bond (through the
 * lot, which refuses once the bond is paid out) or suspense — and the anchor records the reversal.
 * Reported again, it answers the same.
 */
export function decideReversal(facts: ReversalFacts): Plan<CreditStatusAnswer> {
  const { creditId, anchor, bankRef, reason } = facts;
  const received = anchor.received;
  if (!received) return { writes: [], rejection: creditNotFound(creditId) };
  if (bankRef !== received.bankRef) {
    return { writes: [], rejection: ruleBroken('BANK_REF_MISMATCH', `credit ${creditId} has bank reference ${received.bankRef}`, 'bankRef') };
  }
  const halfDone = finishHalfDone(received, anchor, facts.lot, facts.payerDeclaredBy);
  if (halfDone && 'rejected' in halfDone) return { writes: [], rejection: halfDone };
  if (halfDone) return { writes: halfDone.writes, decideAgain: true };

  const answer: CreditStatusAnswer = { creditId, bankRef: received.bankRef, status: 'REVERSED' };
  const stream = streamOf(received);
  switch (anchor.status) {
    case 'REVERSED':
      return { writes: [], answer };
    case 'RETURNED_FROM_SUSPENSE':
      return { writes: [], rejection: ruleBroken('CREDIT_ALREADY_PAID_OUT', 'the credit was already returned from suspense', 'creditId') };
    case 'SUSPENDED': {
      const bank = suspenseBankOf(anchor);
      const postings = [...transfer(suspenseAccount(bank), clearingAccount(bank), received.amount)];
      return { writes: [{ stream, events: [{ type: 'InboundCreditReversed', data: { creditId, bankRef, reason, postings } }] }], answer };
    }
    case 'RETURNED':
      // Returned at the door, the money never entered the ledger: the reversal is recorded, nothing moves.
      return { writes: [{ stream, events: [{ type: 'InboundCreditReversed', data: { creditId, bankRef, reason } }] }], answer };
    case 'CLASSIFIED':
    case 'MATCHED': {
      // CreditClassified and SuspenseMatched set the placement with the status.
      const lotId = anchor.placement?.lotId;
      if (lotId === undefined || !facts.lot?.terms) throw new Error(`lot ${lotId} holding credit ${creditId} was not given to the decision`);
      const lotEvents = lotDecider.decide({ type: 'ReverseCredit', creditId, bankRef, reason }, facts.lot);
      if (isRejection(lotEvents)) return { writes: [], rejection: lotEvents };
      return {
        writes: writesOf({ stream: lotStream(lotId), events: lotEvents }, { stream, events: [{ type: 'InboundCreditReversed', data: { creditId, bankRef, reason, lotId } }] }),
        answer,
      };
    }
    default:
      throw new Error(`credit ${creditId} is in no known state`);
  }
}
