import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { InboundCreditRequest } from '@app/domain';
import { type CommandCall, LedgerCommands } from '../ledger-commands';
import type { CreditStatusDto, InboundCreditDto, SuspenseResolutionDto } from './inbound.dto';

export class RecordInboundCreditCommand {
  constructor(readonly body: InboundCreditDto, readonly call: CommandCall) {}
}
/** POST /v1/inbound-credit-batches: the package's well-formed credits, in package order. */
export class RecordInboundCreditBatchCommand {
  constructor(readonly credits: readonly InboundCreditDto[], readonly call: CommandCall) {}
}
export class ReportCreditStatusCommand {
  constructor(readonly creditId: string, readonly body: CreditStatusDto, readonly call: CommandCall) {}
}
export class ResolveSuspenseCommand {
  constructor(readonly creditId: string, readonly body: SuspenseResolutionDto, readonly call: CommandCall) {}
}

/** The request as the domain reads it: optional fields absent, never undefined (its fingerprint and the claim). */
function requestOf(body: InboundCreditDto): InboundCreditRequest {
  const { bankRef, channel, receivedAt, valueDate, amount, currency, payer, payeeAccountNo, payeeBankCode, remittanceInfo } = body;
  return {
    bankRef,
    channel,
    receivedAt,
    valueDate,
    amount,
    currency,
    payer: { accountNo: payer.accountNo, name: payer.name, bankCode: payer.bankCode },
    payeeAccountNo,
    ...(payeeBankCode === undefined ? {} : { payeeBankCode }),
    ...(remittanceInfo === undefined ? {} : { remittanceInfo }),
  };
}

@CommandHandler(RecordInboundCreditCommand)
export class RecordInboundCreditHandler implements ICommandHandler<RecordInboundCreditCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ body, call }: RecordInboundCreditCommand) {
    return this.commands.recordInboundCredit(requestOf(body), call);
  }
}

@CommandHandler(RecordInboundCreditBatchCommand)
export class RecordInboundCreditBatchHandler implements ICommandHandler<RecordInboundCreditBatchCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ credits, call }: RecordInboundCreditBatchCommand) {
    return this.commands.recordInboundCredits(credits.map(requestOf), call);
  }
}

@CommandHandler(ReportCreditStatusCommand)
export class ReportCreditStatusHandler implements ICommandHandler<ReportCreditStatusCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ creditId, body, call }: ReportCreditStatusCommand) {
    return this.commands.reportCreditStatus(creditId, { bankRef: body.bankRef, reason: body.reason }, call);
  }
}

@CommandHandler(ResolveSuspenseCommand)
export class ResolveSuspenseHandler implements ICommandHandler<ResolveSuspenseCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ creditId, body, call }: ResolveSuspenseCommand) {
    return this.commands.resolveSuspense(creditId, { action: body.action, ...(body.virtualAccountNo === undefined ? {} : { virtualAccountNo: body.virtualAccountNo }) }, call);
  }
}
