import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AllowedRoles, RequestCaller } from '../auth/access.decorators';
import type { Caller } from '../auth/roles';
import { Tenancy } from '../auth/tenancy';
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

/**
 * Bidding life cycle of shared/API.md: withdrawal, award, termination, forfeiture and refunds, by the
 * lot's own center; the settlement of a refund, by the bank's ESB.
 */
@Controller('v1')
export class LifecycleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tenancy: Tenancy,
  ) {}

  @Post('lots/:lotId/withdrawals')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async withdraw(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: WithdrawalDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new WithdrawBidderCommand(lotId, body, context));
  }

  @Post('lots/:lotId/award')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async award(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: AwardDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new AwardLotCommand(lotId, body, context));
  }

  @Post('lots/:lotId/termination')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async terminate(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new TerminateTenderCommand(lotId, body, context));
  }

  @Post('bonds/:bondId/forfeiture')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async forfeit(@Param('bondId') bondId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLotOf(caller, bondId, 'B', 'bondId');
    return this.commands.execute(new ForfeitBondCommand(bondId, body, context));
  }

  @Post('lots/:lotId/refunds')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async refund(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: RefundRunDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new RefundBondsCommand(lotId, body, context));
  }

  @Post('refunds/:refundId/settlement')
  @AllowedRoles('esb')
  async settle(
    @Param('refundId') refundId: string,
    @Body() body: RefundSettlementDto,
    @RequestCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new SettleRefundCommand(refundId, body, context)));
  }
}
