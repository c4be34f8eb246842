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

/** Inbound money of shared/API.md: the bank's ESB posts credits and their fate; operators clear suspense. */
@Controller('v1')
export class InboundController {
  constructor(private readonly commands: CommandBus) {}

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

  @Post('suspense/:creditId/resolution')
  @AllowedRoles('operator')
  @HttpCode(HttpStatus.CREATED)
  resolveSuspense(@Param('creditId') creditId: string, @Body() body: SuspenseResolutionDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new ResolveSuspenseCommand(creditId, body, context));
  }
}
