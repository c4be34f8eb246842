import { ApiProperty } from '@nestjs/swagger';
import { DAY_COUNTS, type DayCount } from '@app/domain';
import type { StatementCounterparty, StatementLine, StatementLineKind } from '@app/projections';
import { PayerDto } from '../write/inbound/inbound.dto';
import { RefundNotInstructedResponse } from '../write/lifecycle/lifecycle.responses';
import { RateEntryDto } from '../write/setup/setup.dto';
import { RateScheduleResponse } from '../write/setup/setup.responses';
import { WireAmount, WireDate, WireEnum, WireIdentifier, valuesOf } from '../platform/http/wire-forms.responses';
import { BondResponse, LotResponse, MasterAccountBalanceResponse, RefundItemResponse } from './queries.responses';

/** What the console's read routes answer (lists.controller.ts, lot-documents.controller.ts; docs/api.md "Routes for the console"). */

// ---- lists ----

export class LotsResponse {
  @ApiProperty({ type: LotResponse, isArray: true, description: 'each as GET /v1/lots/{lotId} answers it; by bid opening, newest first' }) lots!: LotResponse[];
}

export class BidderBondsResponse {
  @WireIdentifier() bidderId!: string;
  @WireDate({ description: "today's business date" }) asOf!: string;
  @ApiProperty({ type: BondResponse, isArray: true, description: 'each as GET /v1/bonds/{bondId} answers it; by bid opening, newest lot first' }) bonds!: BondResponse[];
}

export class MasterAccountsResponse {
  @ApiProperty({ type: MasterAccountBalanceResponse, isArray: true, description: 'each as GET /v1/master-accounts/{accountNo}/balance answers it; by number, then bank' })
  masterAccounts!: MasterAccountBalanceResponse[];
}

export class RateSchedulesResponse {
  @ApiProperty({ type: RateScheduleResponse, isArray: true, description: 'by schedule id; entries by effectiveFrom' }) schedules!: RateScheduleResponse[];
}

// ---- GET /v1/lots/{lotId}/statement ----

const LINE_KINDS = valuesOf<StatementLineKind>({ CREDIT: true, REVERSAL: true, REFUND: true, REFUND_FAILED: true, FORFEITURE: true });

export class StatementCounterpartyResponse implements StatementCounterparty {
  @WireIdentifier() accountNo!: string;
  @ApiProperty({ required: false }) name?: string;
  @WireIdentifier() bankCode!: string;
}

export class StatementLineResponse implements StatementLine {
  @ApiProperty({ format: 'date-time', description: "a credit's receipt at the bank; otherwise when the ledger recorded the movement" }) at!: string;
  @WireEnum(LINE_KINDS) kind!: StatementLineKind;
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @ApiProperty({ type: StatementCounterpartyResponse, description: 'the payer (credit, reversal, forfeiture: whose bond it was) or the account paid (refund, failed refund)' })
  counterparty!: StatementCounterpartyResponse;
  @WireAmount({ description: "principal into (CREDIT, REFUND_FAILED) or out of (REVERSAL, REFUND, FORFEITURE) the lot's virtual accounts" }) amount!: string;
  @WireAmount({ required: false, description: 'REFUND: interest paid on top; REFUND_FAILED: the interest that came back' }) interest?: string;
  @WireDate({ required: false, description: 'CREDIT: value date; REFUND: refundOn; REFUND_FAILED: the day it failed' }) valueDate?: string;
  @ApiProperty({ required: false, description: "the bank's reference; a refund's once its settlement is reported" }) bankRef?: string;
  @ApiProperty({ required: false }) refundId?: string;
}

export class StatementTotalsResponse {
  @WireAmount() credited!: string;
  @WireAmount() reversed!: string;
  @WireAmount({ description: 'refunds less the failed ones' }) refundedPrincipal!: string;
  @WireAmount({ description: 'on refunds, less the failed ones' }) interestPaid!: string;
  @WireAmount() forfeited!: string;
  @WireAmount({ description: "credited − reversed − refundedPrincipal − forfeited: the lot's virtual accounts' balance" }) held!: string;
}

export class DailyReceiptResponse {
  @WireDate({ description: 'business date (China Standard Time) of the receipt' }) date!: string;
  @WireAmount() amount!: string;
}

export class StatementResponse {
  @WireIdentifier() lotId!: string;
  @WireDate({ description: "today's business date" }) asOf!: string;
  @ApiProperty({ type: StatementLineResponse, isArray: true, description: 'in the order recorded' }) lines!: StatementLineResponse[];
  @ApiProperty({ type: StatementTotalsResponse }) totals!: StatementTotalsResponse;
  @ApiProperty({ type: DailyReceiptResponse, isArray: true, description: 'credits received per day, oldest first' }) receivedByDay!: DailyReceiptResponse[];
}

// ---- GET /v1/lots/{lotId}/refund-preview ----

export class PreviewRefundResponse {
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @ApiProperty({ type: PayerDto, description: 'the account the bond came from (原路退回), or where an operator redirected its refunds' }) payTo!: PayerDto;
  @WireAmount() principal!: string;
  @WireAmount({ description: 'to refundOn, exclusive, as the refund run prices it (refundRun of @app/domain)' }) interest!: string;
  @WireAmount() total!: string;
  @WireEnum(DAY_COUNTS) dayCount!: DayCount;
  @ApiProperty({ type: RateEntryDto, isArray: true, description: "the lot's rate schedule" }) rates!: RateEntryDto[];
}

export class RefundPreviewResponse {
  @WireIdentifier() lotId!: string;
  @WireDate() refundOn!: string;
  @ApiProperty({ type: PreviewRefundResponse, isArray: true, description: 'what a run on refundOn would instruct; nothing is recorded' }) refunds!: PreviewRefundResponse[];
  @ApiProperty({ type: RefundNotInstructedResponse, isArray: true, description: 'refundable bonds it could not instruct, with the reason' }) notRefunded!: RefundNotInstructedResponse[];
}

// ---- GET /v1/lots/{lotId}/refund-list ----

export class RefundListItemResponse extends RefundItemResponse {
  @WireEnum(DAY_COUNTS) dayCount!: DayCount;
  @ApiProperty({ type: RateEntryDto, isArray: true, description: 'the rate schedule the refund was priced with' }) rates!: RateEntryDto[];
}

export class RefundListTotalsResponse {
  @WireAmount() principal!: string;
  @WireAmount() interest!: string;
  @WireAmount() total!: string;
}

export class RefundListResponse {
  @WireIdentifier() lotId!: string;
  @ApiProperty({ type: RefundListItemResponse, isArray: true, description: 'GET /v1/refunds?lotId= items, in instruction order, with day count and rates' }) refunds!: RefundListItemResponse[];
  @ApiProperty({ type: RefundListTotalsResponse, description: 'over the refunds not FAILED' }) totals!: RefundListTotalsResponse;
}
