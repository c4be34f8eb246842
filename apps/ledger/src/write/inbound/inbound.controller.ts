import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AllowedRoles } from '../../platform/auth/access.decorators';
import { RequestCommandCall } from '../request-command-call';
import type { CommandCall } from '../ledger-commands';
import { respond } from '../command-answer';
import { CreditStatusDto, InboundCreditDto, SuspenseResolutionDto } from './inbound.dto';
import {
  RecordInboundCreditCommand,
  ReportCreditStatusCommand,
  ResolveSuspenseCommand,
} from './inbound.handlers';
import { ApiErrorResponses, COMMAND_ERRORS } from '../../platform/http/api-error.responses';
import { ApiCommandAnswer } from '../command-answer.responses';
import { CreditStatusResponse, InboundCreditResponse, SuspenseResolutionResponse } from './inbound.responses';

/** Inbound money of docs/api-contract.md: the bank's ESB posts credits and their fate; operators clear suspense. */
@Controller('v1')
export class InboundController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommandAnswer(InboundCreditResponse, 'the same bankRef with the same body')
  @ApiErrorResponses(COMMAND_ERRORS, { 400: ['INVALID_AMOUNT'], 409: ['DUPLICATE_BANK_REF'], 422: ['BANK_NOT_SUPPORTED'] })
  @Post('inbound-credits')
  @AllowedRoles('esb')
  async recordInboundCredit(
    @Body() body: InboundCreditDto,
    @RequestCommandCall() call: CommandCall,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new RecordInboundCreditCommand(body, call)));
  }

  @ApiCommandAnswer(CreditStatusResponse, 'a credit already reversed')
  @ApiErrorResponses(COMMAND_ERRORS, { 404: ['CREDIT_NOT_FOUND'], 422: ['BANK_REF_MISMATCH', 'CREDIT_ALREADY_PAID_OUT'] })
  @Post('inbound-credits/:creditId/status')
  @AllowedRoles('esb')
  async reportCreditStatus(
    @Param('creditId') creditId: string,
    @Body() body: CreditStatusDto,
    @RequestCommandCall() call: CommandCall,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new ReportCreditStatusCommand(creditId, body, call)));
  }

  @ApiCommandAnswer(SuspenseResolutionResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    404: ['CREDIT_NOT_FOUND', 'VIRTUAL_ACCOUNT_NOT_FOUND'],
    409: ['NOT_IN_SUSPENSE', 'SUSPENSE_AT_ANOTHER_BANK'],
    // A MATCH is a credit to the lot, refused for the lot's reasons.
    422: ['BAD_CHECK_DIGIT', 'AFTER_DEADLINE', 'LOT_CLOSED', 'NOT_BASIC_ACCOUNT', 'AMBIGUOUS_PAYER', 'AMOUNT_LIMIT'],
  })
  @Post('suspense/:creditId/resolution')
  @AllowedRoles('operator')
  async resolveSuspense(@Param('creditId') creditId: string, @Body() body: SuspenseResolutionDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.commands.execute(new ResolveSuspenseCommand(creditId, body, call)));
  }
}
