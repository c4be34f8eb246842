import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AllowedRoles, RequestCaller } from '../../platform/auth/access.decorators';
import type { Caller } from '../../platform/auth/roles';
import { Tenancy } from '../../platform/auth/tenancy';
import { RequestCommandCall } from '../request-command-call';
import type { CommandCall } from '../ledger-commands';
import { ParseIdentifierPipe } from '../../platform/http/parse-identifier.pipe';
import { respond } from '../command-answer';
import { AwardDto, ReasonDto, RefundRunDto, RefundSettlementDto, WithdrawalDto } from './lifecycle.dto';
import {
  AwardLotCommand,
  ForfeitBondCommand,
  RefundBondsCommand,
  SettleRefundCommand,
  TerminateTenderCommand,
  WithdrawBidderCommand,
} from './lifecycle.handlers';
import { ApiErrorResponses, COMMAND_ERRORS } from '../../platform/http/api-error.responses';
import { ApiCommandAnswer } from '../command-answer.responses';
import { AwardResponse, ForfeitureResponse, RefundRunResponse, SettlementResponse, TerminationResponse, WithdrawalResponse } from './lifecycle.responses';

/**
 * Bidding life cycle of docs/api-contract.md: withdrawal, award, termination, forfeiture and refunds, by the
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
  async withdraw(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: WithdrawalDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return respond(reply, await this.commands.execute(new WithdrawBidderCommand(lotId, body, call)));
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
  async award(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: AwardDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return respond(reply, await this.commands.execute(new AwardLotCommand(lotId, body, call)));
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
  async terminate(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: ReasonDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return respond(reply, await this.commands.execute(new TerminateTenderCommand(lotId, body, call)));
  }

  @ApiCommandAnswer(ForfeitureResponse)
  @ApiErrorResponses(COMMAND_ERRORS, { 403: ['FORBIDDEN_TENANT'], 404: ['BOND_NOT_FOUND'], 422: ['FORFEITURE_NOT_ALLOWED'] })
  @Post('bonds/:bondId/forfeiture')
  @AllowedRoles('center')
  async forfeit(@Param('bondId') bondId: string, @Body() body: ReasonDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLotOf(caller, bondId, 'B', 'bondId');
    return respond(reply, await this.commands.execute(new ForfeitBondCommand(bondId, body, call)));
  }

  @ApiCommandAnswer(RefundRunResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    422: ['NOTHING_TO_REFUND', 'REFUND_BEFORE_VALUE_DATE', 'NO_RATE_FOR_DATE', 'AMOUNT_LIMIT'],
  })
  @Post('lots/:lotId/refunds')
  @AllowedRoles('center')
  async refund(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: RefundRunDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return respond(reply, await this.commands.execute(new RefundBondsCommand(lotId, body, call)));
  }

  @ApiCommandAnswer(SettlementResponse, 'the same settlement (status and bankRef) again')
  @ApiErrorResponses(COMMAND_ERRORS, { 404: ['REFUND_NOT_FOUND'], 409: ['REFUND_ALREADY_SETTLED'] })
  @Post('refunds/:refundId/settlement')
  @AllowedRoles('esb')
  async settle(
    @Param('refundId') refundId: string,
    @Body() body: RefundSettlementDto,
    @RequestCommandCall() call: CommandCall,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new SettleRefundCommand(refundId, body, call)));
  }
}
