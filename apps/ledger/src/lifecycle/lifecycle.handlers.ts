import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LotCommand, LotEvent, LotState, RefundInstructed, lotDecider, lotIdOf, lotStream, notFound } from '@app/domain';
import { AggregateRepository } from '../commands/aggregate-repository';
import type { CommandContext } from '../commands/command-context';
import { RejectionError } from '../commands/rejection-error';
import { CLOCK, Clock } from '../ledger/banks';
import type { CommandAnswer } from '../ledger/command-answer';
import { LedgerFacts } from '../ledger/ledger-facts';
import { AwardDto, ReasonDto, RefundRunDto, RefundSettlementDto, WithdrawalDto } from './lifecycle.dto';

export class WithdrawBidderCommand {
  constructor(readonly lotId: string, readonly body: WithdrawalDto, readonly context: CommandContext) {}
}
export class AwardLotCommand {
  constructor(readonly lotId: string, readonly body: AwardDto, readonly context: CommandContext) {}
}
export class TerminateTenderCommand {
  constructor(readonly lotId: string, readonly body: ReasonDto, readonly context: CommandContext) {}
}
export class ForfeitBondCommand {
  constructor(readonly bondId: string, readonly body: ReasonDto, readonly context: CommandContext) {}
}
export class RefundBondsCommand {
  constructor(readonly lotId: string, readonly body: RefundRunDto, readonly context: CommandContext) {}
}
export class SettleRefundCommand {
  constructor(readonly refundId: string, readonly body: RefundSettlementDto, readonly context: CommandContext) {}
}

/** Runs one lot command and answers with the data of the event it recorded. */
async function decideOnLot(
  repository: AggregateRepository,
  lotId: string,
  buildCommand: (state: LotState) => LotCommand | Promise<LotCommand>,
  context: CommandContext,
): Promise<readonly LotEvent[]> {
  return (await repository.execute(lotStream(lotId), lotDecider, buildCommand, context)).events;
}

/** A bond or refund id names its lot; one this ledger cannot have made is simply unknown. */
function lotOf(id: string, kind: 'B' | 'R', code: string, field: string): string {
  const lotId = lotIdOf(id, kind);
  if (lotId === undefined) throw new RejectionError(notFound(code, `no ${field.replace(/Id$/, '')} ${id}`, field));
  return lotId;
}

@CommandHandler(WithdrawBidderCommand)
export class WithdrawBidderHandler implements ICommandHandler<WithdrawBidderCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ lotId, body, context }: WithdrawBidderCommand) {
    const events = await decideOnLot(this.repository, lotId, () => ({ type: 'WithdrawBidder', ...body }), context);
    return events[0].data;
  }
}

@CommandHandler(AwardLotCommand)
export class AwardLotHandler implements ICommandHandler<AwardLotCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ lotId, body, context }: AwardLotCommand) {
    const events = await decideOnLot(this.repository, lotId, () => ({ type: 'AwardLot', ...body }), context);
    return events[0].data;
  }
}

@CommandHandler(TerminateTenderCommand)
export class TerminateTenderHandler implements ICommandHandler<TerminateTenderCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ lotId, body, context }: TerminateTenderCommand) {
    const now = this.clock().toISOString();
    const events = await decideOnLot(this.repository, lotId, () => ({ type: 'TerminateTender', reason: body.reason, now }), context);
    return events[0].data;
  }
}

@CommandHandler(ForfeitBondCommand)
export class ForfeitBondHandler implements ICommandHandler<ForfeitBondCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ bondId, body, context }: ForfeitBondCommand) {
    const lotId = lotOf(bondId, 'B', 'BOND_NOT_FOUND', 'bondId');
    const events = await decideOnLot(this.repository, lotId, () => ({ type: 'ForfeitBond', bondId, reason: body.reason }), context);
    return events[0].data;
  }
}

@CommandHandler(RefundBondsCommand)
export class RefundBondsHandler implements ICommandHandler<RefundBondsCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: LedgerFacts,
  ) {}

  async execute({ lotId, body, context }: RefundBondsCommand) {
    const events = await decideOnLot(
      this.repository,
      lotId,
      async (state) => {
        if (!state.terms) throw new RejectionError(notFound('LOT_NOT_FOUND', `no lot ${lotId}`, 'lotId'));
        const schedule = await this.facts.rateSchedule(state.terms.rateScheduleId);
        return { type: 'RefundBonds', refundOn: body.refundOn, schedule: schedule! };
      },
      context,
    );
    return { refunds: events.map((event) => (event as RefundInstructed).data) };
  }
}

@CommandHandler(SettleRefundCommand)
export class SettleRefundHandler implements ICommandHandler<SettleRefundCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ refundId, body, context }: SettleRefundCommand): Promise<CommandAnswer<object>> {
    const lotId = lotOf(refundId, 'R', 'REFUND_NOT_FOUND', 'refundId');
    const { events, state } = await this.repository.execute(
      lotStream(lotId),
      lotDecider,
      () => ({ type: 'SettleRefund' as const, refundId, ...body }),
      context,
    );
    const refund = state.refunds[refundId];
    return {
      created: events.length > 0,
      body: { refundId, bondId: refund.bondId, status: refund.status, bankRef: refund.bankRef, bondStatus: state.bonds[refund.bondId].status },
    };
  }
}
