import type { JsonObject } from '@app/event-store';
import { acknowledged } from './esb-client';
import type { PlannedCredit } from './esb-load';

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

export interface ExactlyOnceReport {
  problems: string[];
  /** Unacknowledged credits the log does not hold at all. */
  absent: number;
  /** Unacknowledged credits fully recorded (the answer was lost). */
  recorded: number;
  /** Unacknowledged classified credits whose money is in the lot but whose anchor stream is not written yet. */
  halfDone: number;
}

/**
 * Checks the log against what the ESB saw. An acknowledged credit: every answer the same (at most one
 * 201), the outcome the plan implies, its `inbound-credit-{bankRef}` stream holding exactly the receipt
 * and the outcome, and exactly one money posting (a BondCredited for classified money, the
 * CreditSuspended's own postings for suspense, none for a return). An unacknowledged one: absent, or
 * recorded the same way, or (classified) in its lot once with the anchor still to be written.
 */
export function checkExactlyOnce(credits: readonly PlannedCredit[], events: readonly AuditedEvent[]): ExactlyOnceReport {
  const problems: string[] = [];
  const report: ExactlyOnceReport = { problems, absent: 0, recorded: 0, halfDone: 0 };
  const anchors = new Map<string, AuditedEvent[]>();
  const bondCredits = new Map<string, AuditedEvent[]>();
  for (const event of events) {
    if (event.streamName.startsWith('inbound-credit-')) push(anchors, event.streamName.slice('inbound-credit-'.length), event);
    if (event.type === 'BondCredited') push(bondCredits, String(event.data.creditId), event);
  }
  const planned = new Map(credits.map((credit) => [credit.bankRef, credit]));
  for (const bankRef of anchors.keys()) if (!planned.has(bankRef)) problems.push(`stream inbound-credit-${bankRef} belongs to no credit the ESB sent`);
  for (const [creditId, list] of bondCredits) {
    const credit = planned.get(creditId.replace(/^C-/, ''));
    if (credit?.expected.outcome !== 'CLASSIFIED') problems.push(`${creditId}: BondCredited for a credit that is not classifiable`);
    if (list.length > 1) problems.push(`${creditId}: ${list.length} BondCredited events`);
  }

  for (const credit of credits) {
    const say = (problem: string) => problems.push(`${credit.bankRef}: ${problem}`);
    if (credit.refused) say(`refused with ${credit.refused.status} ${JSON.stringify(credit.refused.body)}`);
    const anchor = anchors.get(credit.bankRef) ?? [];
    const inLot = bondCredits.get(`C-${credit.bankRef}`) ?? [];
    const { expected } = credit;
    const sent = JSON.parse(credit.body) as { amount: string; payeeAccountNo: string };

    if (anchor.length === 0) {
      if (acknowledged(credit)) say('acknowledged, but its inbound-credit stream is missing');
      else if (inLot.length === 1) report.halfDone += 1;
      else report.absent += 1;
    } else {
      if (!acknowledged(credit)) report.recorded += 1;
      const types = anchor.map((event) => event.type);
      const want = ['InboundCreditReceived', OUTCOME_EVENT[expected.outcome]];
      if (types.join() !== want.join()) say(`stream holds ${types.join(', ')}, expected ${want.join(', ')}`);
      const received = anchor[0].data as { bankRef?: string; amount?: string; payeeAccountNo?: string };
      if (received.bankRef !== credit.bankRef || received.amount !== sent.amount || received.payeeAccountNo !== sent.payeeAccountNo) {
        say(`receipt ${JSON.stringify(received)} is not the request sent`);
      }
      const outcome = anchor[1]?.data as { reason?: string; postings?: { amount: string }[] } | undefined;
      if (expected.outcome !== 'CLASSIFIED' && outcome?.reason !== expected.reason) say(`recorded reason ${outcome?.reason}, expected ${expected.reason}`);
      const suspensePostings = expected.outcome === 'SUSPENDED' ? (outcome?.postings ?? []) : [];
      if (expected.outcome === 'SUSPENDED' && !(suspensePostings.length === 2 && suspensePostings.every((posting) => posting.amount === credit.amount))) {
        say(`CreditSuspended postings ${JSON.stringify(outcome?.postings)} do not move ${credit.amount} once`);
      }
      if (expected.outcome !== 'SUSPENDED' && outcome?.postings !== undefined) say(`${anchor[1].type} carries postings`);
    }

    if (expected.outcome === 'CLASSIFIED') {
      const posted = inLot[0]?.data as { amount?: string; virtualAccountNo?: string; bondId?: string } | undefined;
      if (acknowledged(credit) && inLot.length !== 1) say(`acknowledged as classified, ${inLot.length} BondCredited`);
      if (posted && (posted.amount !== credit.amount || posted.virtualAccountNo !== expected.virtualAccountNo)) say(`BondCredited ${JSON.stringify(posted)} is not the credit sent`);
      const answered = credit.answers[0]?.body as { bondId?: string } | undefined;
      if (posted && answered && answered.bondId !== posted.bondId) say(`answered bond ${answered.bondId}, credited bond ${posted.bondId}`);
    } else if (inLot.length > 0) {
      say(`${expected.outcome.toLowerCase()} money credited to a bond`);
    }

    if (acknowledged(credit)) problems.push(...answerProblems(credit));
  }
  return report;
}

/** Every answer the first one, statuses 200/201 with at most one 201, and the outcome the plan implies. */
function answerProblems(credit: PlannedCredit): string[] {
  const problems: string[] = [];
  const [first, ...retries] = credit.answers;
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
    body.creditId !== `C-${credit.bankRef}` ||
    body.bankRef !== credit.bankRef ||
    body.outcome !== expected.outcome ||
    (expected.outcome === 'CLASSIFIED' ? !body.lotId || !body.bondId : body.reason !== expected.reason);
  if (wrong) problems.push(`${credit.bankRef}: answered ${JSON.stringify(body)}, expected ${JSON.stringify(expected)}`);
  return problems;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
