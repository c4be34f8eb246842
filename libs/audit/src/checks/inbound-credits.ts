import { compareAmounts, creditRefOf, Decimal, inboundCreditStream, tableGet } from '@app/domain';
import type { CreditAnchor, DomainState } from '../domain-state';
import type { EventRef, Finding } from '../findings';

type EndState = 'classified' | 'suspended' | 'returned' | 'reversed';

const END_STATES: { readonly [status: string]: EndState } = {
  CLASSIFIED: 'classified',
  MATCHED: 'classified',
  SUSPENDED: 'suspended',
  RETURNED: 'returned',
  RETURNED_FROM_SUSPENSE: 'returned',
  REVERSED: 'reversed',
};

/**
 * Every inbound credit ended in exactly one place, and the lot streams agree: its anchor stream
 * (`inbound-credit-{bankCode}-{bankRef}`) starts with what arrived and one outcome, and its money is in
 * a bond only if the anchor says classified (or matched from suspense); a suspended, returned or
 * reversed credit is in no bond. Conversely every credit a lot holds has its anchor. On a store that
 * commits streams one by one, a command stopped between its appends leaves a claim without its outcome
 * or a requested match without its answer: reported as unfinished (the next command on the credit, or
 * the ESB's retry, finishes it).
 */
export function checkInboundCredits(domain: DomainState): { findings: Finding[]; checked: number } {
  const findings: Finding[] = [];
  const finding = (code: string, message: string, event: EventRef, details: { [name: string]: string }) =>
    findings.push({ check: 'inbound-credits', code, message, event, details });

  for (const [stream, anchor] of domain.anchors) {
    const received = anchor.state.received;
    if (!received) {
      finding('NOT_RECEIVED', `${stream} has no InboundCreditReceived`, anchor.last, { stream });
      continue;
    }
    const details = { creditId: received.creditId, bankRef: received.bankRef, amount: received.amount, status: String(anchor.state.status) };
    if (anchor.outcomes === 0 && received.route) {
      finding('INTAKE_UNFINISHED', `credit ${received.creditId} was claimed for lot ${received.route.lotId} and has no outcome yet`, anchor.last, { ...details, lotId: received.route.lotId });
      continue;
    }
    if (anchor.state.pendingMatch) {
      const lotId = anchor.state.pendingMatch.lotId;
      finding('MATCH_UNFINISHED', `credit ${received.creditId} has a match into lot ${lotId} that is not answered yet`, anchor.last, { ...details, lotId });
      continue;
    }
    if (anchor.outcomes !== 1) {
      finding('OUTCOME_COUNT', `credit ${received.creditId} has ${anchor.outcomes} outcomes (classified, suspended or returned); exactly one is right`, anchor.last, details);
      continue;
    }
    const end = END_STATES[String(anchor.state.status)];
    if (end === undefined) {
      finding('NO_END_STATE', `credit ${received.creditId} is in no known state`, anchor.last, details);
      continue;
    }
    const problem = bondProblem(domain, anchor, end);
    if (problem) finding(problem.code, problem.message, anchor.last, { ...details, ...problem.details });
  }

  for (const [creditId, lots] of domain.lotCredits) {
    const ref = creditRefOf(creditId);
    const anchor = ref === undefined ? undefined : domain.anchors.get(inboundCreditStream(ref.bankCode, ref.bankRef));
    const [first] = lots;
    if (!anchor?.state.received && first) {
      finding('NO_INBOUND_RECORD', `lot ${first.lotId} holds credit ${creditId}, which has no inbound-credit record`, first.event, { creditId, lotId: first.lotId });
    }
  }
  return { findings, checked: domain.anchors.size };
}

function bondProblem(domain: DomainState, anchor: CreditAnchor, end: EndState): { code: string; message: string; details: { [name: string]: string } } | undefined {
  const received = anchor.state.received!;
  const creditId = received.creditId;
  const holdings = (domain.lotCredits.get(creditId) ?? []).map((held) => {
    const lot = domain.lot(held.lotId);
    return { lotId: held.lotId, record: lot === undefined ? undefined : tableGet(lot.credits, creditId) };
  });
  const active = holdings.filter((held) => held.record !== undefined && !held.record.removed);
  const inBonds = active.map((held) => held.lotId).join(',');
  if (active.length > 1) return { code: 'IN_SEVERAL_BONDS', message: `credit ${creditId} is held by the bonds of lots ${inBonds}`, details: { lots: inBonds } };

  const placement = anchor.state.placement;
  switch (end) {
    case 'classified': {
      const held = active[0];
      if (!held || held.lotId !== placement?.lotId || held.record!.bondId !== placement.bondId) {
        return {
          code: 'CLASSIFIED_NOT_IN_BOND',
          message: `credit ${creditId} is classified to bond ${placement?.bondId} of lot ${placement?.lotId} but that bond does not hold it`,
          details: { lotId: String(placement?.lotId), bondId: String(placement?.bondId), heldBy: inBonds },
        };
      }
      if (compareAmounts(Decimal(held.record!.amount), Decimal(received.amount)) !== 0) {
        return { code: 'AMOUNT_MISMATCH', message: `credit ${creditId} arrived as ${received.amount}, the bond holds ${held.record!.amount}`, details: { held: held.record!.amount } };
      }
      return undefined;
    }
    case 'reversed':
    case 'suspended':
    case 'returned':
      if (active.length > 0) {
        return { code: 'ALSO_IN_BOND', message: `credit ${creditId} is ${end} but the bond of lot ${inBonds} holds it`, details: { lots: inBonds } };
      }
      if (end === 'reversed' && placement && !holdings.some((held) => held.lotId === placement.lotId && held.record?.removed)) {
        return { code: 'REVERSED_NOT_REMOVED', message: `credit ${creditId} is reversed but lot ${placement.lotId} never took it`, details: { lotId: placement.lotId } };
      }
      return undefined;
  }
}
