import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import {
  type Fen,
  ZERO_FEN,
  addFen,
  amountOfFen,
  fenOf,
  isCalendarDate,
  isDateInFuture,
  refundPayment,
  refundRun,
} from '@app/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandContext } from '@app/command-kernel';
import { bondsOfLot, rateScheduleOf, refundsOf, statementLinesOf, statementRefundOf, virtualAccountBalance } from '@app/projections';
import { AllowedRoles, RequestCaller } from '../platform/auth/access.decorators';
import type { Caller } from '../platform/auth/roles';
import { ApiErrorResponses, READ_MODEL_QUERY_ERRORS } from '../platform/http/api-error.responses';
import { ApiException } from '../platform/http/api-error';
import { RequestCommandContext } from '../platform/http/command-context.decorator';
import { ParseIdentifierPipe } from '../platform/http/parse-identifier.pipe';
import { RefundListResponse, RefundPreviewResponse, StatementResponse } from './console.responses';
import { csvText } from './documents/csv';
import { type RefundListEntry, drawCertificate, drawRefundList, drawStatement } from './documents/lot-pdfs';
import { PdfWriter } from './documents/pdf-writer';
import { statementCsv, statementOf } from './documents/statement';
import { bondShownTo, bondViewOf, lotOrNotFound, lotShownTo } from './lookups';
import { ApiOneOfQuery, optionalOneOf } from './query-params';
import { heldAmount } from './query-views';
import { ReadModels } from './read-models.service';
import { SealedLooks } from './sealed-looks';

export const PDF_WRITER = Symbol('PDF_WRITER');

const FORMATS = ['json', 'csv', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

const PDF_ERRORS = { 503: ['PDF_FONT_UNAVAILABLE'] } as const;

/** A route's 200 in each format: JSON with its schema, CSV and PDF as files. */
const ApiDocumentResponse = (json: Function, description: string) =>
  ApiOkResponse({
    description,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(json) } },
      'text/csv': { schema: { type: 'string', description: 'UTF-8 with a byte-order mark, RFC 4180' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  });

function invalidQuery(field: string, message: string): ApiException {
  return new ApiException(400, 'INVALID_QUERY', message, field);
}

/**
 * The documents a tender center files away, and the refund run's preview (docs/api.md, "Routes for the
 * console"): who may have them is what the seal says of the lot (`disclosureOf`, through `SealedLooks`:
 * the center after bid opening, bank operations and auditors with their look recorded while sealed); a
 * certificate is a bond's, given to whom GET /v1/bonds/{bondId} gives the bond.
 */
@ApiExtraModels(StatementResponse, RefundListResponse)
@Controller('v1')
export class LotDocumentsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly looks: SealedLooks,
    @Inject(PDF_WRITER) private readonly pdf: PdfWriter,
  ) {}

  @ApiDocumentResponse(StatementResponse, 'the statement (对账单) as JSON, CSV (one row per line, then TOTAL_… rows) or PDF')
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, PDF_ERRORS, { 400: ['INVALID_FIELD', 'INVALID_QUERY'], 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['LOT_NOT_FOUND'] })
  @ApiOneOfQuery('format', FORMATS, 'json (default), csv or pdf')
  @Get('lots/:lotId/statement')
  @AllowedRoles('center', 'operator', 'auditor')
  async statement(
    @Param('lotId', ParseIdentifierPipe) lotId: string,
    @Query('format') formatQuery: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = optionalOneOf(formatQuery, 'format', FORMATS) ?? 'json';
    const models = await this.readModels.fresh();
    const lot = await lotShownTo(caller, models, lotId, this.looks, context, request);
    const asOf = this.looks.today();
    const statement = statementOf(lotId, asOf, statementLinesOf(models.statements, lotId));
    // The lines are the ledger's postings to the lot's accounts: a disagreement is a defect, never an answer.
    const ledgerHeld = sumOf(lot.virtualAccounts.map((account) => heldAmount(virtualAccountBalance(models.balances, account.virtualAccountNo).balance)));
    if (ledgerHeld !== statement.totals.held) throw new Error(`the statement of lot ${lotId} holds ${statement.totals.held}, its virtual accounts ${ledgerHeld}`);
    return this.answer(reply, format, `statement-${lotId}-${asOf}`, statement, () => statementCsv(statement), () =>
      this.pdf.render({ title: `对账单 ${lotId}`, subject: `Statement of lot ${lotId} as of ${asOf}`, createdAt: new Date(this.looks.now()), landscape: true }, (page) =>
        drawStatement(page, lot, statement, this.looks.now()),
      ),
    );
  }

  @ApiOkResponse({ description: 'the bond’s deposit certificate (保证金缴纳凭证)', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, PDF_ERRORS, { 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['BOND_NOT_FOUND'] })
  @Get('bonds/:bondId/certificate')
  @AllowedRoles('bidder', 'center', 'operator', 'auditor')
  async certificate(
    @Param('bondId') bondId: string,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const models = await this.readModels.fresh();
    // Who gets the bond is GET /v1/bonds/{bondId}'s rule.
    const bond = await bondShownTo(caller, models, bondId, this.looks, context, request);
    const lot = lotOrNotFound(models, bond.lotId);
    const view = bondViewOf(models, bond, this.looks.today());
    const document = await this.pdf.render({ title: `保证金缴纳凭证 ${bondId}`, subject: `Deposit certificate of bond ${bondId}`, createdAt: new Date(this.looks.now()) }, (page) =>
      drawCertificate(page, lot, view, this.looks.now()),
    );
    return file(reply, 'application/pdf', `certificate-${bondId}.pdf`, document);
  }

  @ApiOkResponse({ type: RefundPreviewResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, {
    400: ['INVALID_FIELD', 'INVALID_QUERY'],
    403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'],
    404: ['LOT_NOT_FOUND'],
    422: ['DATE_IN_FUTURE'],
  })
  @ApiQuery({ name: 'refundOn', required: false, description: 'the day the money would leave (YYYY-MM-DD, default today); not after today', schema: { type: 'string', format: 'date' } })
  @Get('lots/:lotId/refund-preview')
  @AllowedRoles('center', 'operator', 'auditor')
  async refundPreview(
    @Param('lotId', ParseIdentifierPipe) lotId: string,
    @Query('refundOn') refundOnQuery: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    if (refundOnQuery !== undefined && !isCalendarDate(refundOnQuery)) throw invalidQuery('refundOn', 'refundOn must be a date YYYY-MM-DD, given once');
    const models = await this.readModels.fresh();
    const lot = await lotShownTo(caller, models, lotId, this.looks, context, request);
    const refundOn = refundOnQuery ?? this.looks.today();
    // The run's own first rule (the lot decider's RefundBonds): interest runs to the day the money leaves, not a day after today.
    if (isDateInFuture(refundOn, this.looks.now())) throw new ApiException(422, 'DATE_IN_FUTURE', `refundOn ${refundOn} is after today`, 'refundOn');
    const schedule = rateScheduleOf(models.rateSchedules, lot.terms.rateScheduleId);
    if (schedule === undefined) throw new Error(`lot ${lotId} names rate schedule ${lot.terms.rateScheduleId}, which the read models do not hold`);
    // What the decider's refund run would instruct: the same rule (`refundRun`) over the same bonds, nothing recorded.
    const run = refundRun(bondsOfLot(models.bonds, lotId) ?? [], refundOn, schedule);
    const rates = schedule.entries.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate }));
    return {
      lotId,
      refundOn,
      refunds: run.instructed.map(({ bond, interest }) => ({
        bondId: bond.bondId,
        ...(bond.bidderId === undefined ? {} : { bidderId: bond.bidderId }),
        ...refundPayment(bond, interest),
        dayCount: schedule.dayCount,
        rates,
      })),
      notRefunded: run.notInstructed,
    };
  }

  @ApiDocumentResponse(RefundListResponse, 'the refund list (退款清单) as JSON, CSV (one row per refund, then a TOTAL row) or PDF')
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, PDF_ERRORS, { 400: ['INVALID_FIELD', 'INVALID_QUERY'], 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['LOT_NOT_FOUND'] })
  @ApiOneOfQuery('format', FORMATS, 'json (default), csv or pdf')
  @Get('lots/:lotId/refund-list')
  @AllowedRoles('center', 'operator', 'auditor')
  async refundList(
    @Param('lotId', ParseIdentifierPipe) lotId: string,
    @Query('format') formatQuery: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = optionalOneOf(formatQuery, 'format', FORMATS) ?? 'json';
    const models = await this.readModels.fresh();
    const lot = await lotShownTo(caller, models, lotId, this.looks, context, request);
    const refunds: RefundListEntry[] = refundsOf(models.refunds, { lotId }).map((refund) => {
      const instruction = statementRefundOf(models.statements, refund.refundId);
      if (instruction === undefined) throw new Error(`refund ${refund.refundId} is in the refund queue and not in the statements model`);
      return { ...refund, dayCount: instruction.dayCount, rates: instruction.rates.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })) };
    });
    const paid = refunds.filter((refund) => refund.status !== 'FAILED');
    const totals = { principal: sumOf(paid.map((refund) => refund.principal)), interest: sumOf(paid.map((refund) => refund.interest)), total: sumOf(paid.map((refund) => refund.total)) };
    const asOf = this.looks.today();
    return this.answer(reply, format, `refund-list-${lotId}-${asOf}`, { lotId, refunds, totals }, () => refundListCsv(refunds, totals), () =>
      this.pdf.render({ title: `退款清单 ${lotId}`, subject: `Refund list of lot ${lotId}`, createdAt: new Date(this.looks.now()), landscape: true }, (page) =>
        drawRefundList(page, lot, refunds, totals, this.looks.now()),
      ),
    );
  }

  /** The JSON body as it is, or the CSV or PDF as a download named `{name}.csv|pdf`. */
  private async answer<T>(reply: FastifyReply, format: Format, name: string, json: T, csv: () => string, pdf: () => Promise<Buffer>): Promise<T | Buffer | string> {
    switch (format) {
      case 'json':
        return json;
      case 'csv':
        return file(reply, 'text/csv; charset=utf-8', `${name}.csv`, csv());
      case 'pdf':
        return file(reply, 'application/pdf', `${name}.pdf`, await pdf());
    }
  }
}

/** Sets the headers of a download; ids are identifiers (letters, digits, ".", "_", "-"), safe in a quoted filename. */
function file<T extends string | Buffer>(reply: FastifyReply, contentType: string, filename: string, body: T): T {
  reply.header('content-type', contentType);
  reply.header('content-disposition', `attachment; filename="${filename}"`);
  return body;
}

function sumOf(amounts: readonly string[]): string {
  let sum: Fen = ZERO_FEN;
  for (const amount of amounts) sum = addFen(sum, fenOf(amount));
  return amountOfFen(sum);
}

/** One row per refund, then a TOTAL row of the refunds not FAILED; rates as `effectiveFrom:annualRate` joined by `;`. */
function refundListCsv(refunds: readonly RefundListEntry[], totals: { principal: string; interest: string; total: string }): string {
  const header = [
    'refundId', 'bondId', 'bidderId', 'payToAccountNo', 'payToName', 'payToBankCode', 'principal', 'interest', 'total',
    'refundOn', 'dueBy', 'late', 'attempt', 'status', 'bankRef', 'failureReason', 'dayCount', 'rates',
  ];
  const rows = refunds.map((refund) => [
    refund.refundId, refund.bondId, refund.bidderId, refund.payTo.accountNo, refund.payTo.name, refund.payTo.bankCode, refund.principal, refund.interest, refund.total,
    refund.refundOn, refund.dueBy, refund.late, refund.attempt, refund.status, refund.bankRef, refund.failureReason, refund.dayCount,
    refund.rates.map((rate) => `${rate.effectiveFrom}:${rate.annualRate}`).join(';'),
  ]);
  const total = header.map((column) => (column === 'refundId' ? 'TOTAL' : column === 'principal' ? totals.principal : column === 'interest' ? totals.interest : column === 'total' ? totals.total : undefined));
  return csvText([header, ...rows, total]);
}
