import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AllowedRoles } from '../auth/access.decorators';
import type { CommandContext } from '../commands/command-context';
import { RequestCommandContext } from '../http/command-context.decorator';
import { CommandAnswer, respond } from '../ledger/command-answer';
import { CreditStatusDto, InboundCreditDto, SuspenseResolutionDto } from './inbound.dto';
import {
  InboundCreditAnswer,
  RecordInboundCreditCommand,
  ReportCreditStatusCommand,
  ResolveSuspenseCommand,
} from './inbound.handlers';
import { ApiErrorResponses, COMMAND_ERRORS } from '../api-error.responses';
import { ApiCommandAnswer } from '../ledger/command-answer.responses';
import { CreditStatusResponse, InboundCreditResponse, SuspenseResolutionResponse } from './inbound.responses';

/** Inbound money of shared/API.md: the bank's ESB posts credits and their fate; operators clear suspense. */
@Controller('v1')
export class InboundController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommandAnswer(InboundCreditResponse, 'the same bankRef with the same body')
  @ApiErrorResponses(COMMAND_ERRORS, { 400: ['INVALID_AMOUNT'], 409: ['DUPLICATE_BANK_REF'] })
  @Post('inbound-credits')
  @AllowedRoles('esb')
  async recordInboundCredit(
    @Body() body: InboundCreditDto,
    @RequestCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answer: CommandAnswer<InboundCreditAnswer> = await this.commands.execute(new RecordInboundCreditCommand(body, context));
    return respond(reply, answer);
  }

  @ApiCommandAnswer(CreditStatusResponse, 'a credit already reversed')
  @ApiErrorResponses(COMMAND_ERRORS, { 404: ['CREDIT_NOT_FOUND'], 422: ['BANK_REF_MISMATCH', 'CREDIT_ALREADY_PAID_OUT'] })
  @Post('inbound-credits/:creditId/status')
  @AllowedRoles('esb')
  async reportCreditStatus(
    @Param('creditId') creditId: string,
    @Body() body: CreditStatusDto,
    @RequestCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new ReportCreditStatusCommand(creditId, body, context)));
  }

  @ApiCommandAnswer(SuspenseResolutionResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    404: ['CREDIT_NOT_FOUND', 'VIRTUAL_ACCOUNT_NOT_FOUND'],
    409: ['NOT_IN_SUSPENSE', 'SUSPENSE_AT_ANOTHER_BANK'],
    // A MATCH is a credit to the lot, refused for the lot's reasons.
    422: ['BAD_CHECK_DIGIT', 'AFTER_DEADLINE', 'LOT_CLOSED', 'NOT_BASIC_ACCOUNT', 'AMBIGUOUS_PAYER'],
  })
  @Post('suspense/:creditId/resolution')
  @AllowedRoles('operator')
  @HttpCode(HttpStatus.CREATED)
  resolveSuspense(@Param('creditId') creditId: string, @Body() body: SuspenseResolutionDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new ResolveSuspenseCommand(creditId, body, context));
  }
}
