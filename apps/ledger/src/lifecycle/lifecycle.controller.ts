import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { ServerResponse } from 'node:http';
import type { CommandContext } from '../commands/command-context';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ParseIdentifierPipe } from '../http/parse-identifier.pipe';
import { respond } from '../ledger/command-answer';
import { AwardDto, ReasonDto, RefundRunDto, RefundSettlementDto, WithdrawalDto } from './lifecycle.dto';
import {
  AwardLotCommand,
  ForfeitBondCommand,
  RefundBondsCommand,
  SettleRefundCommand,
  TerminateTenderCommand,
  WithdrawBidderCommand,
} from './lifecycle.handlers';

/** Bidding life cycle of shared/API.md: withdrawal, award, termination, forfeiture, refunds and their settlement. */
@Controller('v1')
export class LifecycleController {
  constructor(private readonly commands: CommandBus) {}

  @Post('lots/:lotId/withdrawals')
  @HttpCode(HttpStatus.CREATED)
  withdraw(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: WithdrawalDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new WithdrawBidderCommand(lotId, body, context));
  }

  @Post('lots/:lotId/award')
  @HttpCode(HttpStatus.CREATED)
  award(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: AwardDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new AwardLotCommand(lotId, body, context));
  }

  @Post('lots/:lotId/termination')
  @HttpCode(HttpStatus.CREATED)
  terminate(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new TerminateTenderCommand(lotId, body, context));
  }

  @Post('bonds/:bondId/forfeiture')
  @HttpCode(HttpStatus.CREATED)
  forfeit(@Param('bondId') bondId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new ForfeitBondCommand(bondId, body, context));
  }

  @Post('lots/:lotId/refunds')
  @HttpCode(HttpStatus.CREATED)
  refund(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: RefundRunDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new RefundBondsCommand(lotId, body, context));
  }

  @Post('refunds/:refundId/settlement')
  async settle(
    @Param('refundId') refundId: string,
    @Body() body: RefundSettlementDto,
    @RequestCommandContext() context: CommandContext,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return respond(response, await this.commands.execute(new SettleRefundCommand(refundId, body, context)));
  }
}
