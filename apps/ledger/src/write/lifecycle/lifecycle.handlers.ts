import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { type CommandCall, LedgerCommands } from '../ledger-commands';
import type { AwardDto, ForfeitureDto, ReasonDto, RefundRunDto, RefundSettlementDto, SigningRefusalDto, WithdrawalDto } from './lifecycle.dto';

export class WithdrawBidderCommand {
  constructor(readonly lotId: string, readonly body: WithdrawalDto, readonly call: CommandCall) {}
}
export class AwardLotCommand {
  constructor(readonly lotId: string, readonly body: AwardDto, readonly call: CommandCall) {}
}
export class TerminateTenderCommand {
  constructor(readonly lotId: string, readonly body: ReasonDto, readonly call: CommandCall) {}
}
export class ForfeitBondCommand {
  constructor(readonly bondId: string, readonly body: ForfeitureDto, readonly call: CommandCall) {}
}
export class RecordSigningRefusalCommand {
  constructor(readonly lotId: string, readonly body: SigningRefusalDto, readonly call: CommandCall) {}
}
export class RefundBondsCommand {
  constructor(readonly lotId: string, readonly body: RefundRunDto, readonly call: CommandCall) {}
}
export class SettleRefundCommand {
  constructor(readonly refundId: string, readonly body: RefundSettlementDto, readonly call: CommandCall) {}
}

@CommandHandler(WithdrawBidderCommand)
export class WithdrawBidderHandler implements ICommandHandler<WithdrawBidderCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ lotId, body, call }: WithdrawBidderCommand) {
    return this.commands.withdrawBidder(lotId, body, call);
  }
}

@CommandHandler(AwardLotCommand)
export class AwardLotHandler implements ICommandHandler<AwardLotCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ lotId, body, call }: AwardLotCommand) {
    return this.commands.awardLot(lotId, body, call);
  }
}

@CommandHandler(TerminateTenderCommand)
export class TerminateTenderHandler implements ICommandHandler<TerminateTenderCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ lotId, body, call }: TerminateTenderCommand) {
    return this.commands.terminateTender(lotId, body, call);
  }
}

@CommandHandler(ForfeitBondCommand)
export class ForfeitBondHandler implements ICommandHandler<ForfeitBondCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ bondId, body, call }: ForfeitBondCommand) {
    return this.commands.forfeitBond(bondId, body, call);
  }
}

@CommandHandler(RecordSigningRefusalCommand)
export class RecordSigningRefusalHandler implements ICommandHandler<RecordSigningRefusalCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ lotId, body, call }: RecordSigningRefusalCommand) {
    return this.commands.recordSigningRefusal(lotId, body, call);
  }
}

@CommandHandler(RefundBondsCommand)
export class RefundBondsHandler implements ICommandHandler<RefundBondsCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ lotId, body, call }: RefundBondsCommand) {
    return this.commands.refundBonds(lotId, body, call);
  }
}

@CommandHandler(SettleRefundCommand)
export class SettleRefundHandler implements ICommandHandler<SettleRefundCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ refundId, body, call }: SettleRefundCommand) {
    return this.commands.settleRefund(refundId, body, call);
  }
}
