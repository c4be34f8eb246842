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
import { AwardDto, ForfeitureDto, ReasonDto, RefundRunDto, RefundSettlementDto, SigningRefusalDto, WithdrawalDto } from './lifecycle.dto';
import {
  AwardLotCommand,
  ForfeitBondCommand,
  RecordSigningRefusalCommand,
  RefundBondsCommand,
  SettleRefundCommand,
  TerminateTenderCommand,
  WithdrawBidderCommand,
} from './lifecycle.handlers';
import { AttributeBondCommand, RedirectRefundCommand } from './bond-corrections.handlers';
import { AttributionDto, RedirectionDto } from './lifecycle.dto';
import { AttributionResponse, RedirectionResponse } from './lifecycle.responses';
import { ApiErrorResponses, COMMAND_ERRORS } from '../../platform/http/api-error.responses';
import { ApiCommandAnswer } from '../command-answer.responses';
import { AwardResponse, ForfeitureResponse, RefundRunResponse, SettlementResponse, SigningRefusalResponse, TerminationResponse, WithdrawalResponse } from './lifecycle.responses';

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
    422: ['LOT_CLOSED', 'NO_BOND_FOR_BIDDER', 'INSTANT_IN_FUTURE'],
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
    422: ['LOT_CLOSED', 'BIDS_NOT_OPENED', 'NO_BOND_FOR_BIDDER', 'CONTRACT_BEFORE_BID_OPENING', 'DATE_IN_FUTURE', 'WINNER_REFUSED_TO_SIGN'],
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

  @ApiCommandAnswer(SigningRefusalResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    409: ['ALREADY_REFUSED_TO_SIGN'],
    422: ['LOT_CLOSED', 'BIDS_NOT_OPENED', 'NO_BOND_FOR_BIDDER', 'REFUSAL_BEFORE_BID_OPENING', 'DATE_IN_FUTURE'],
  })
  @Post('lots/:lotId/signing-refusals')
  @AllowedRoles('center')
  async refuseToSign(@Param('lotId', ParseIdentifierPipe) lotId: string, @Body() body: SigningRefusalDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return respond(reply, await this.commands.execute(new RecordSigningRefusalCommand(lotId, body, call)));
  }

  @ApiCommandAnswer(ForfeitureResponse)
  @ApiErrorResponses(COMMAND_ERRORS, { 403: ['FORBIDDEN_TENANT'], 404: ['BOND_NOT_FOUND'], 422: ['FORFEITURE_NOT_ALLOWED', 'FORFEITURE_GROUND_NOT_RECORDED'] })
  @Post('bonds/:bondId/forfeiture')
  @AllowedRoles('center')
  async forfeit(@Param('bondId') bondId: string, @Body() body: ForfeitureDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLotOf(caller, bondId, 'B', 'bondId');
    return respond(reply, await this.commands.execute(new ForfeitBondCommand(bondId, body, call)));
  }

  @ApiCommandAnswer(RefundRunResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND'],
    422: ['NOTHING_TO_REFUND', 'DATE_IN_FUTURE', 'REFUND_BEFORE_REFUNDABLE', 'REFUND_BEFORE_VALUE_DATE', 'NO_RATE_FOR_DATE', 'AMOUNT_LIMIT'],
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

  @ApiCommandAnswer(AttributionResponse, 'the bond was already attributed to this bidder')
  @ApiErrorResponses(COMMAND_ERRORS, { 403: ['FORBIDDEN_TENANT'], 404: ['BOND_NOT_FOUND'], 409: ['BOND_ALREADY_ATTRIBUTED'] })
  @Post('bonds/:bondId/attribution')
  @AllowedRoles('center')
  async attribute(@Param('bondId') bondId: string, @Body() body: AttributionDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    await this.tenancy.assertOwnLotOf(caller, bondId, 'B', 'bondId');
    return respond(reply, await this.commands.execute(new AttributeBondCommand(bondId, body, call)));
  }

  @ApiCommandAnswer(RedirectionResponse, "the bond's refunds already go to this account")
  @ApiErrorResponses(COMMAND_ERRORS, { 404: ['REFUND_NOT_FOUND'], 422: ['REFUND_NOT_FAILED', 'REFUND_SUPERSEDED', 'NOT_SAME_PAYER', 'SAME_ACCOUNT'] })
  @Post('refunds/:refundId/redirection')
  @AllowedRoles('operator')
  async redirect(@Param('refundId') refundId: string, @Body() body: RedirectionDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.commands.execute(new RedirectRefundCommand(refundId, body, call)));
  }
}
