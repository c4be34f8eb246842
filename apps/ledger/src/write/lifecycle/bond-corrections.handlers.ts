import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { type CommandCall, LedgerCommands } from '../ledger-commands';
import type { AttributionDto, RedirectionDto } from './lifecycle.dto';

/** A center names the bidder of a bond known by payer only (docs/rules.md, item 4). */
export class AttributeBondCommand {
  constructor(readonly bondId: string, readonly body: AttributionDto, readonly call: CommandCall) {}
}

/** An operator sends a failed refund's next attempt to another account of the same payer (docs/rules.md, item 8). */
export class RedirectRefundCommand {
  constructor(readonly refundId: string, readonly body: RedirectionDto, readonly call: CommandCall) {}
}

@CommandHandler(AttributeBondCommand)
export class AttributeBondHandler implements ICommandHandler<AttributeBondCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ bondId, body, call }: AttributeBondCommand) {
    return this.commands.attributeBond(bondId, body, call);
  }
}

@CommandHandler(RedirectRefundCommand)
export class RedirectRefundHandler implements ICommandHandler<RedirectRefundCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ refundId, body, call }: RedirectRefundCommand) {
    return this.commands.redirectRefund(refundId, body, call);
  }
}
