import { Body, Controller, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse } from '@nestjs/swagger';
import type { KernelAnswer, SequencedOutcome } from '@app/command-kernel';
import type { InboundCreditAnswer } from '@app/domain';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AllowedRoles } from '../../platform/auth/access.decorators';
import { RequestCommandCall } from '../request-command-call';
import type { CommandCall } from '../ledger-commands';
import { respond } from '../command-answer';
import { ApiException, type ApiErrorBody } from '../../platform/http/api-error';
import { LedgerMetrics } from '../../platform/metrics/ledger-metrics';
import { ApiErrorResponse } from '../../platform/http/api-error.responses';
import { rejectionAnswer } from '../../platform/http/api-exception.filter';
import { IDEMPOTENT_REPLAYED_HEADER } from '../../platform/http/idempotency-headers';
import type { JsonBodyRouteConfig } from '../../platform/http/json-body';
import { validatedItem } from '../../platform/http/validation.pipe';
import { CreditStatusDto, InboundCreditBatchDto, InboundCreditDto, MAX_CREDITS_PER_BATCH, SuspenseResolutionDto } from './inbound.dto';
import {
  RecordInboundCreditBatchCommand,
  RecordInboundCreditCommand,
  ReportCreditStatusCommand,
  ResolveSuspenseCommand,
} from './inbound.handlers';
import { ApiErrorResponses, COMMAND_ERRORS } from '../../platform/http/api-error.responses';
import { ApiCommandAnswer } from '../command-answer.responses';
import { CreditStatusResponse, InboundCreditBatchResponse, InboundCreditResponse, SuspenseResolutionResponse } from './inbound.responses';

/** The envelope of a package: `{credits: [...]}` with 1 to 1,000 items, each checked later on its own. */
function creditsOf(body: unknown): unknown[] {
  const invalid = (code: string, message: string, field?: string) => new ApiException(HttpStatus.BAD_REQUEST, code, message, field);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('MALFORMED_BODY', 'the request body must be a JSON object');
  const unknown = Object.keys(body).find((key) => key !== 'credits');
  if (unknown !== undefined) throw invalid('UNKNOWN_FIELD', `${unknown} is not a field of this request`, unknown);
  const { credits } = body as { credits?: unknown };
  const expected = `an array of 1 to ${MAX_CREDITS_PER_BATCH} inbound credits`;
  if (credits === undefined || credits === null) throw invalid('MISSING_FIELD', `credits is required and must be ${expected}`, 'credits');
  if (!Array.isArray(credits) || credits.length === 0 || credits.length > MAX_CREDITS_PER_BATCH) {
    throw invalid('INVALID_FIELD', `credits must be ${expected}`, 'credits');
  }
  return credits;
}

/** A decided credit as the single route answers it. */
function resultOf(outcome: SequencedOutcome<InboundCreditAnswer>): { status: number; body: unknown } {
  if ('rejection' in outcome) return rejectionAnswer(outcome.rejection);
  return { status: outcome.created ? HttpStatus.CREATED : HttpStatus.OK, body: outcome.answer };
}

/** Inbound money of docs/api-contract.md: the bank's ESB posts credits and their fate; operators clear suspense. */
@Controller('v1')
export class InboundController {
  constructor(
    private readonly commands: CommandBus,
    private readonly metrics: LedgerMetrics,
  ) {}

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

  /**
   * A package of credits (a BEPS package): the envelope is checked here, then each credit on its own as
   * the single route checks its body, so a malformed credit is answered alone; the well-formed ones are
   * decided in order and committed together (LedgerCommands.recordInboundCredits).
   */
  @ApiBody({ type: InboundCreditBatchDto })
  @ApiExtraModels(InboundCreditResponse, ApiErrorResponse)
  @ApiCreatedResponse({ type: InboundCreditBatchResponse, description: "each credit's own status and answer, in package order" })
  @ApiOkResponse({
    type: InboundCreditBatchResponse,
    description: 'the same Idempotency-Key with the same request: the first answer again',
    headers: { [IDEMPOTENT_REPLAYED_HEADER]: { description: 'on an Idempotency-Key replay', schema: { type: 'string', enum: ['true'] } } },
  })
  @ApiErrorResponses(COMMAND_ERRORS)
  @Post('inbound-credit-batches')
  @RouteConfig({ jsonBody: { maxBytes: 4 * 1024 * 1024, itemsAt: 'credits' } } satisfies JsonBodyRouteConfig)
  @AllowedRoles('esb')
  async recordInboundCreditBatch(@Body() body: unknown, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    const items = await Promise.all(creditsOf(body).map((credit) => validatedItem(InboundCreditDto, credit)));
    const credits = items.filter((item): item is InboundCreditDto => !(item instanceof ApiException));
    const ran: KernelAnswer<Array<SequencedOutcome<InboundCreditAnswer>>> = await this.commands.execute(new RecordInboundCreditBatchCommand(credits, call));
    const outcomes = ran.answer.values();
    const results = items.map((item, index) => ({ index, ...(item instanceof ApiException ? { status: item.getStatus(), body: item.body } : resultOf(outcomes.next().value!)) }));
    if (!ran.replayed) this.metrics.countPackageCredits(results.map(({ status, body }) => (status < 300 ? HttpStatus[status]! : (body as ApiErrorBody).error.code)));
    // The package ran: 201 whatever its credits' own statuses (each in its result); 200 only for a replay.
    return respond(reply, { ...ran, created: true, answer: { results } });
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
