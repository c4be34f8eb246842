import type { JsonObject, JsonValue } from '@app/event-store';
import { acknowledged } from './esb-client';
import type { Expected, PlannedCredit } from './esb-load';
import { BANK, creditIdOf, creditStreamOf } from './ledger-fixtures';

/** An event as GET /v1/events gives it to auditors. */
export interface AuditedEvent {
  id: string;
  streamName: string;
  type: string;
  revision: string;
  position: string;
  data: JsonObject;
  metadata: JsonObject;
}

const OUTCOME_EVENT = { CLASSIFIED: 'CreditClassified', SUSPENDED: 'CreditSuspended', RETURNED: 'CreditReturned' } as const;

/** The lot's record of its decision on a credit routed to it: one per credit. */
const LOT_DECISION_TYPES = new Set(['BondCredited', 'CreditRefused']);

export interface ExactlyOnceReport {
  problems: string[];
  /** Unacknowledged credits the log does not hold at all. */
  absent: number;
  /** Unacknowledged credits fully recorded (the answer was lost). */
  recorded: number;
}

/** The virtual account of a credit its lot decides (classified, or returned after the deadline); undefined for one that goes to no lot. */
function routedTo(expected: Expected): string | undefined {
  return 'virtualAccountNo' in expected ? expected.virtualAccountNo : undefined;
}

/**
 * Checks the log against what the ESB saw, on the embedded store, where a credit is recorded in one
 * commit or not at all. A credit is either absent from the log (only if never acknowledged) or
 * recorded whole, in consecutive positions:
 * - its `inbound-credit-{bank}-{bankRef}` stream holds exactly the receipt (the request sent, the
 *   receiving bank, and the route to a lot for a credit addressed to an issued virtual account) and
 *   the outcome the plan implies;
 * - a credit routed to a lot has exactly one decision in that lot, at anchor revision 0: a BondCredited
 *   (the money's one posting) when classified, a CreditRefused (no postings) when returned; a credit
 *   routed to no lot has nothing in any lot;
 * - suspended money's one posting is the CreditSuspended's own; a return has none.
 * An acknowledged credit's answers are all the first one, at most one 201.
 */
export function checkExactlyOnce(credits: readonly PlannedCredit[], events: readonly AuditedEvent[]): ExactlyOnceReport {
  const problems: string[] = [];
  const report: ExactlyOnceReport = { problems, absent: 0, recorded: 0 };
  const anchors = new Map<string, AuditedEvent[]>();
  const lotDecisions = new Map<string, AuditedEvent[]>();
  for (const event of events) {
    if (event.streamName.startsWith('inbound-credit-')) push(anchors, event.streamName, event);
    if (LOT_DECISION_TYPES.has(event.type)) push(lotDecisions, String(event.data.creditId), event);
  }
  const plannedStreams = new Set(credits.map((credit) => creditStreamOf(credit.bankRef)));
  const plannedIds = new Set(credits.map((credit) => creditIdOf(credit.bankRef)));
  for (const stream of anchors.keys()) if (!plannedStreams.has(stream)) problems.push(`stream ${stream} belongs to no credit the ESB sent`);
  for (const [creditId, list] of lotDecisions) {
    if (!plannedIds.has(creditId)) problems.push(`${creditId}: ${list.map((event) => event.type).join(', ')} for no credit the ESB sent`);
  }

  for (const credit of credits) {
    const say = (problem: string) => problems.push(`${credit.bankRef}: ${problem}`);
    if (credit.refused) say(`refused with ${credit.refused.status} ${JSON.stringify(credit.refused.body)}`);
    const creditId = creditIdOf(credit.bankRef);
    const anchor = anchors.get(creditStreamOf(credit.bankRef)) ?? [];
    const inLots = lotDecisions.get(creditId) ?? [];
    const { expected } = credit;
    const virtualAccountNo = routedTo(expected);

    if (anchor.length === 0 && inLots.length === 0) {
      if (acknowledged(credit)) say('acknowledged, but nothing of it is in the log');
      else report.absent += 1;
      continue;
    }
    if (!acknowledged(credit)) report.recorded += 1;

    // One commit: the credit's events sit side by side in the log, nothing of it is anywhere else.
    const positions = [...anchor, ...inLots].map((event) => BigInt(event.position)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const [firstPosition = 0n] = positions;
    if (positions.some((position, index) => position !== firstPosition + BigInt(index))) say(`recorded at positions ${positions.join(', ')}, not in one commit`);

    // The anchor: the receipt, then the outcome.
    const types = anchor.map((event) => event.type);
    const want = ['InboundCreditReceived', OUTCOME_EVENT[expected.outcome]];
    if (types.join() !== want.join()) say(`stream holds ${types.join(', ') || 'nothing'}, expected ${want.join(', ')}`);
    const received = anchor[0]?.type === 'InboundCreditReceived' ? (anchor[0].data as { requestHash?: unknown; route?: { lotId?: string; virtualAccountNo?: string } }) : undefined;
    const route = received?.route;
    if (received) {
      const { requestHash, ...rest } = received;
      const wantReceipt = { ...(JSON.parse(credit.body) as JsonObject), creditId, bankCode: BANK, ...(route === undefined ? {} : { route }) };
      if (typeof requestHash !== 'string' || !sameJson(rest as JsonValue, wantReceipt)) say(`receipt ${JSON.stringify(received)} is not the request sent`);
      if (virtualAccountNo !== undefined && (route?.virtualAccountNo !== virtualAccountNo || typeof route.lotId !== 'string')) {
        say(`receipt routes to ${JSON.stringify(route)}, expected virtual account ${virtualAccountNo}`);
      }
      if (virtualAccountNo === undefined && route !== undefined) say(`receipt routes to ${JSON.stringify(route)}, expected no lot`);
    }
    const outcomeEvent = anchor[1];
    const outcome = outcomeEvent?.data as { creditId?: string; reason?: string; lotId?: string; bondId?: string; bankCode?: string; postings?: { amount: string }[] } | undefined;
    if (outcomeEvent && outcome) {
      if (outcome.creditId !== creditId) say(`${outcomeEvent.type} names ${outcome.creditId}`);
      if (expected.outcome !== 'CLASSIFIED' && outcome.reason !== expected.reason) say(`recorded reason ${outcome.reason}, expected ${expected.reason}`);
      if (virtualAccountNo !== undefined && outcome.lotId !== route?.lotId) say(`${outcomeEvent.type} names lot ${outcome.lotId}, the route ${route?.lotId}`);
      if (virtualAccountNo === undefined && outcome.lotId !== undefined) say(`${outcomeEvent.type} names lot ${outcome.lotId}, the credit goes to no lot`);
      const suspensePostings = expected.outcome === 'SUSPENDED' ? (outcome.postings ?? []) : [];
      if (expected.outcome === 'SUSPENDED' && !(outcome.bankCode === BANK && suspensePostings.length === 2 && suspensePostings.every((posting) => posting.amount === credit.amount))) {
        say(`CreditSuspended ${JSON.stringify(outcome)} does not move ${credit.amount} into the suspense of ${BANK} once`);
      }
      if (expected.outcome !== 'SUSPENDED' && outcome.postings !== undefined) say(`${outcomeEvent.type} carries postings`);
    }

    // The lot: one decision for a credit routed to it, nothing for any other.
    const [decision, ...otherDecisions] = inLots;
    if (virtualAccountNo === undefined) {
      if (inLots.length > 0) say(`goes to no lot, yet ${inLots.map((event) => `${event.type} in ${event.streamName}`).join(', ')}`);
    } else if (decision === undefined || otherDecisions.length > 0) {
      say(`${inLots.length} lot decisions (${inLots.map((event) => event.type).join(', ')}), expected one`);
    } else {
      const wantType = expected.outcome === 'CLASSIFIED' ? 'BondCredited' : 'CreditRefused';
      const data = decision.data as { amount?: string; virtualAccountNo?: string; bondId?: string; reason?: string; source?: string; anchorRevision?: number };
      if (decision.type !== wantType) say(`the lot recorded ${decision.type}, expected ${wantType}`);
      if (route?.lotId !== undefined && decision.streamName !== `lot-${route.lotId}`) say(`${decision.type} in ${decision.streamName}, the route is lot ${route.lotId}`);
      if (data.amount !== credit.amount || data.source !== 'INBOUND' || data.anchorRevision !== 0) say(`${decision.type} ${JSON.stringify(data)} is not the credit sent`);
      if (decision.type === 'BondCredited' && data.virtualAccountNo !== virtualAccountNo) say(`BondCredited to ${data.virtualAccountNo}, expected ${virtualAccountNo}`);
      if (decision.type === 'BondCredited' && outcome?.bondId !== data.bondId) say(`classified into bond ${outcome?.bondId}, credited bond ${data.bondId}`);
      if (decision.type === 'CreditRefused' && (data.reason !== (expected as { reason?: string }).reason || 'postings' in data)) say(`CreditRefused ${JSON.stringify(data)}`);
      const answered = credit.answers[0]?.body as { bondId?: string } | undefined;
      if (decision.type === 'BondCredited' && answered && answered.bondId !== data.bondId) say(`answered bond ${answered.bondId}, credited bond ${data.bondId}`);
    }

    if (acknowledged(credit)) problems.push(...answerProblems(credit, route?.lotId));
  }
  return report;
}

/** Every answer the first one, statuses 200/201 with at most one 201, and the outcome the plan implies (in the lot of the route). */
function answerProblems(credit: PlannedCredit, routedLot: string | undefined): string[] {
  const problems: string[] = [];
  const [first, ...retries] = credit.answers;
  if (first === undefined) return [`${credit.bankRef}: no answer`];
  const body = first.body as { creditId?: string; bankRef?: string; outcome?: string; reason?: string; lotId?: string; bondId?: string };
  for (const retry of retries) {
    if (JSON.stringify(retry.body) !== JSON.stringify(first.body)) problems.push(`${credit.bankRef}: retry answered ${JSON.stringify(retry.body)}, first ${JSON.stringify(first.body)}`);
  }
  const created = credit.answers.filter((answer) => answer.status === 201).length;
  if (created > 1 || credit.answers.some((answer) => answer.status !== 200 && answer.status !== 201)) {
    problems.push(`${credit.bankRef}: statuses ${credit.answers.map((answer) => answer.status).join(', ')}`);
  }
  const { expected } = credit;
  const wrong =
    body.creditId !== creditIdOf(credit.bankRef) ||
    body.bankRef !== credit.bankRef ||
    body.outcome !== expected.outcome ||
    body.lotId !== routedLot ||
    (expected.outcome === 'CLASSIFIED' ? !body.lotId || !body.bondId : body.reason !== expected.reason);
  if (wrong) problems.push(`${credit.bankRef}: answered ${JSON.stringify(body)}, expected ${JSON.stringify(expected)} in lot ${routedLot}`);
  return problems;
}

/** Equal as JSON values, whatever the order of object members. */
function sameJson(a: JsonValue, b: JsonValue): boolean {
  return sortedJson(a) === sortedJson(b);
}

function sortedJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${sortedJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
