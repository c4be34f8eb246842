import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  CURRENCY,
  CreditOutcome,
  InboundCreditReceived,
  InboundCreditRequest,
  InboundCreditState,
  LotState,
  bankRefOf,
  conflict,
  creditBondCommand,
  creditIdFor,
  inboundCreditDecider,
  inboundCreditStream,
  lotDecider,
  lotStream,
  notFound,
  outcomeOfLotRefusal,
  ruleBroken,
  suspenseForPayee,
  suspenseResolvable,
  tableGet,
} from '@app/domain';
import { AggregateRepository } from '../commands/aggregate-repository';
import type { CommandContext } from '../commands/command-context';
import { RejectionError } from '../commands/rejection-error';
import { canonicalJson, sha256Hex } from '../idempotency/idempotency-key';
import type { CommandAnswer } from '../ledger/command-answer';
import { LedgerFacts } from '../ledger/ledger-facts';
import { CreditStatusDto, InboundCreditDto, SuspenseResolutionDto } from './inbound.dto';

export class RecordInboundCreditCommand {
  constructor(readonly body: InboundCreditDto, readonly context: CommandContext) {}
}
export class ReportCreditStatusCommand {
  constructor(readonly creditId: string, readonly body: CreditStatusDto, readonly context: CommandContext) {}
}
export class ResolveSuspenseCommand {
  constructor(readonly creditId: string, readonly body: SuspenseResolutionDto, readonly context: CommandContext) {}
}

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

/** The placement of a credit the lot holds, read back from the lot's state (also after a retry). */
function classifiedIn(lot: LotState, creditId: string): CreditOutcome {
  const credit = tableGet(lot.credits, creditId)!;
  const bond = lot.bonds[credit.bondId];
  const outcome: CreditOutcome = {
    outcome: 'CLASSIFIED',
    lotId: lot.terms!.lotId,
    bondId: credit.bondId,
    virtualAccountNo: credit.virtualAccountNo,
    flags: credit.flags,
  };
  if (bond.bidderId !== undefined) outcome.bidderId = bond.bidderId;
  return outcome;
}

function requestOf(body: InboundCreditDto): InboundCreditRequest {
  const { bankRef, channel, receivedAt, valueDate, amount, currency, payer, payeeAccountNo, remittanceInfo } = body;
  const request: InboundCreditRequest = {
    bankRef,
    channel,
    receivedAt,
    valueDate,
    amount,
    currency,
    payer: { accountNo: payer.accountNo, name: payer.name, bankCode: payer.bankCode },
    payeeAccountNo,
  };
  if (remittanceInfo !== undefined) request.remittanceInfo = remittanceInfo;
  return request;
}

/**
 * POST /v1/inbound-credits. The bank reference's stream is the anchor: written last and with
 * NO_STREAM, after the lot (when the credit is classified) has taken the money. A crash in between is
 * healed by the ESB's retry: the lot recognises the credit id and the anchor is written then.
 */
@CommandHandler(RecordInboundCreditCommand)
export class RecordInboundCreditHandler implements ICommandHandler<RecordInboundCreditCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: LedgerFacts,
  ) {}

  async execute({ body, context }: RecordInboundCreditCommand): Promise<CommandAnswer<InboundCreditAnswer>> {
    const request = requestOf(body);
    const creditId = creditIdFor(request.bankRef);
    const requestHash = sha256Hex(canonicalJson(request));
    const anchor = inboundCreditStream(request.bankRef);

    const known = await this.repository.load(anchor, inboundCreditDecider);
    const outcome = known.state.received ? known.state.firstOutcome! : await this.classify(creditId, requestHash, request, context);
    const { events, state } = await this.repository.execute(
      anchor,
      inboundCreditDecider,
      () => ({ type: 'RecordInboundCredit' as const, creditId, requestHash, request, outcome }),
      context,
    );
    return { created: events.length > 0, body: answerOf(state.received!, state.firstOutcome!) };
  }

  private async classify(creditId: string, requestHash: string, request: InboundCreditRequest, context: CommandContext): Promise<CreditOutcome> {
    if (request.currency !== CURRENCY) return { outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' };
    const payee = await this.facts.payee(request.payeeAccountNo);
    const suspended = suspenseForPayee(payee.classification, payee.bankCode);
    if (suspended) return suspended;
    if (!payee.issued) return { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode: payee.bankCode };
    const issued = payee.issued;
    const payerDeclaredBy = await this.facts.payerDeclaredBy(request.payer);
    try {
      const { state } = await this.repository.execute(
        lotStream(issued.lotId),
        lotDecider,
        () => creditBondCommand({ ...request, creditId, requestHash }, 'INBOUND', issued, payerDeclaredBy),
        context,
      );
      return classifiedIn(state, creditId);
    } catch (error) {
      const outcome = error instanceof RejectionError ? outcomeOfLotRefusal(error.rejection, issued.lotId, issued.bankCode) : undefined;
      if (outcome) return outcome;
      throw error;
    }
  }
}

async function loadCredit(repository: AggregateRepository, creditId: string): Promise<InboundCreditState> {
  const bankRef = bankRefOf(creditId);
  const state = bankRef === undefined ? undefined : (await repository.load(inboundCreditStream(bankRef), inboundCreditDecider)).state;
  if (!state?.received) throw new RejectionError(notFound('CREDIT_NOT_FOUND', `no credit ${creditId}`, 'creditId'));
  return state;
}

/** POST /v1/inbound-credits/{creditId}/status: the bank reports that an announced credit did not settle. */
@CommandHandler(ReportCreditStatusCommand)
export class ReportCreditStatusHandler implements ICommandHandler<ReportCreditStatusCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ creditId, body, context }: ReportCreditStatusCommand) {
    const credit = await loadCredit(this.repository, creditId);
    const received = credit.received!;
    if (body.bankRef !== received.bankRef) {
      throw new RejectionError(ruleBroken('BANK_REF_MISMATCH', `credit ${creditId} has bank reference ${received.bankRef}`, 'bankRef'));
    }
    // Money in a bond leaves through the lot first; the anchor records the reversal after it.
    if (credit.placement && credit.status !== 'REVERSED') {
      await this.repository.execute(
        lotStream(credit.placement.lotId),
        lotDecider,
        () => ({ type: 'ReverseCredit' as const, creditId, bankRef: body.bankRef, reason: body.reason }),
        context,
      );
    }
    const { events } = await this.repository.execute(
      inboundCreditStream(received.bankRef),
      inboundCreditDecider,
      () => ({ type: 'RecordReversal' as const, bankRef: body.bankRef, reason: body.reason }),
      context,
    );
    return { created: events.length > 0, body: { creditId, bankRef: received.bankRef, status: 'REVERSED' as const } };
  }
}

/** POST /v1/suspense/{creditId}/resolution: an operator matches suspended money to a virtual account or returns it. */
@CommandHandler(ResolveSuspenseCommand)
export class ResolveSuspenseHandler implements ICommandHandler<ResolveSuspenseCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: LedgerFacts,
  ) {}

  async execute({ creditId, body, context }: ResolveSuspenseCommand) {
    const credit = await loadCredit(this.repository, creditId);
    const refused = suspenseResolvable(credit);
    if (refused) throw new RejectionError(refused);
    const anchor = inboundCreditStream(credit.received!.bankRef);
    if (body.action === 'RETURN') {
      await this.repository.execute(anchor, inboundCreditDecider, () => ({ type: 'RecordSuspenseResolution' as const, resolution: { action: 'RETURN' as const } }), context);
      return { creditId, action: 'RETURN', status: 'RETURNED' };
    }
    const placement = await this.matchIntoLot(creditId, credit, body.virtualAccountNo!, context);
    try {
      await this.repository.execute(
        anchor,
        inboundCreditDecider,
        () => ({ type: 'RecordSuspenseResolution' as const, resolution: { action: 'MATCH' as const, ...placement } }),
        context,
      );
    } catch (error) {
      if (error instanceof RejectionError && error.rejection.code === 'NOT_IN_SUSPENSE') await this.undoLostMatch(creditId, placement.lotId, context);
      throw error;
    }
    return { creditId, action: 'MATCH', status: 'MATCHED', ...placement };
  }

  /**
   * Another resolution of the same credit won the race. If it put the money into this same lot, the
   * credit in the lot is the winner's (our append found it there and added nothing): keep it. Otherwise
   * undo ours; the money stays where the winner put it.
   */
  private async undoLostMatch(creditId: string, lotId: string, context: CommandContext): Promise<void> {
    const winner = await loadCredit(this.repository, creditId);
    if (winner.status === 'MATCHED' && winner.placement?.lotId === lotId) return;
    await this.repository.execute(lotStream(lotId), lotDecider, () => ({ type: 'VoidSuspenseMatch' as const, creditId }), context);
  }

  private async matchIntoLot(creditId: string, credit: InboundCreditState, virtualAccountNo: string, context: CommandContext) {
    const received = credit.received!;
    const payee = await this.facts.payee(virtualAccountNo);
    if (payee.classification.kind === 'BAD_CHECK_DIGIT') {
      throw new RejectionError(ruleBroken('BAD_CHECK_DIGIT', 'the virtual account number fails its check digit', 'virtualAccountNo'));
    }
    if (!payee.issued) throw new RejectionError(notFound('VIRTUAL_ACCOUNT_NOT_FOUND', `no virtual account ${virtualAccountNo}`, 'virtualAccountNo'));
    const issued = payee.issued;
    if (issued.bankCode !== credit.suspenseBank) {
      throw new RejectionError(conflict('SUSPENSE_AT_ANOTHER_BANK', `the money is in the suspense of bank ${credit.suspenseBank}`, 'virtualAccountNo'));
    }
    const payerDeclaredBy = await this.facts.payerDeclaredBy(received.payer);
    const { state } = await this.repository.execute(
      lotStream(issued.lotId),
      lotDecider,
      () => creditBondCommand(received, 'SUSPENSE', issued, payerDeclaredBy),
      context,
    );
    const { outcome: _classified, ...placement } = classifiedIn(state, creditId) as CreditOutcome & { outcome: 'CLASSIFIED' };
    return placement;
  }
}
