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
import { ApiErrorResponses, COMMAND_ERRORS } from '../api-error.responses';
import { ApiCommandAnswer } from '../ledger/command-answer.responses';
import { AwardResponse, ForfeitureResponse, RefundRunResponse, SettlementResponse, TerminationResponse, WithdrawalResponse } from './lifecycle.responses';

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

  @ApiCommandAnswer(WithdrawalResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    409: ['ALREADY_WITHDRAWN'],
    422: ['LOT_CLOSED', 'NO_BOND_FOR_BIDDER'],
  })
  @Post('lots/:lotId/withdrawals')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async withdraw(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: WithdrawalDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new WithdrawBidderCommand(lotId, body, context));
  }

  @ApiCommandAnswer(AwardResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    409: ['LOT_ALREADY_AWARDED'],
    422: ['LOT_CLOSED', 'BIDS_NOT_OPENED', 'NO_BOND_FOR_BIDDER'],
  })
  @Post('lots/:lotId/award')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async award(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: AwardDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new AwardLotCommand(lotId, body, context));
  }

  @ApiCommandAnswer(TerminationResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    409: ['LOT_ALREADY_TERMINATED'],
    422: ['LOT_ALREADY_AWARDED'],
  })
  @Post('lots/:lotId/termination')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async terminate(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new TerminateTenderCommand(lotId, body, context));
  }

  @ApiCommandAnswer(ForfeitureResponse)
  @ApiErrorResponses(COMMAND_ERRORS, { 403: ['FORBIDDEN_TENANT'], 404: ['BOND_NOT_FOUND'], 422: ['FORFEITURE_NOT_ALLOWED'] })
  @Post('bonds/:bondId/forfeiture')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async forfeit(@Param('bondId') bondId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLotOf(caller, bondId, 'B', 'bondId');
    return this.commands.execute(new ForfeitBondCommand(bondId, body, context));
  }

  @ApiCommandAnswer(RefundRunResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    422: ['NOTHING_TO_REFUND', 'REFUND_BEFORE_VALUE_DATE', 'NO_RATE_FOR_DATE'],
  })
  @Post('lots/:lotId/refunds')
  @AllowedRoles('center')
  @HttpCode(HttpStatus.CREATED)
  async refund(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: RefundRunDto, @RequestCommandContext() context: CommandContext, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return this.commands.execute(new RefundBondsCommand(lotId, body, context));
  }

  @ApiCommandAnswer(SettlementResponse, 'the same settlement (status and bankRef) again')
  @ApiErrorResponses(COMMAND_ERRORS, { 404: ['REFUND_NOT_FOUND'], 409: ['REFUND_ALREADY_SETTLED'] })
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
