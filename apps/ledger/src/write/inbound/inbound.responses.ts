import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { CreditFlag, CreditOutcome, InboundCreditAnswer, ReturnReason, SuspenseReason } from '@app/domain';
import { ApiErrorResponse } from '../../platform/http/api-error.responses';
import { WireEnum, WireIdentifier, WireVirtualAccountNo, valuesOf } from '../../platform/http/wire-forms.responses';

/** What the inbound-money routes answer (the domain's decisions, libs/domain/src/inbound-credit/credit-decisions.ts). */

export const CREDIT_FLAGS = valuesOf<CreditFlag>({ NOT_BASIC_ACCOUNT: true, AMOUNT_BELOW_BOND: true, AMOUNT_ABOVE_BOND: true });
export const SUSPENSE_REASONS = valuesOf<SuspenseReason>({
  UNKNOWN_VIRTUAL_ACCOUNT: true,
  BAD_CHECK_DIGIT: true,
  AMBIGUOUS_PAYER: true,
  AMOUNT_LIMIT: true,
  RECEIVED_IN_FUTURE: true,
  VALUE_DATE_AFTER_RECEIPT: true,
  VALUE_DATE_TOO_OLD: true,
});
const RETURN_REASONS = valuesOf<ReturnReason>({ AFTER_DEADLINE: true, NOT_BASIC_ACCOUNT: true, LOT_CLOSED: true, CURRENCY_NOT_SUPPORTED: true });

/** A credit is named after its receiving bank and bank reference. */
const CREDIT_ID = { description: '"C-", the receiving bank\'s code, "-" and the bank reference', example: 'C-102100099996-HVPS20261201000123' };

export class InboundCreditResponse implements InboundCreditAnswer {
  @ApiProperty(CREDIT_ID) creditId!: string;
  @WireIdentifier() bankRef!: string;
  @WireEnum(valuesOf<CreditOutcome['outcome']>({ CLASSIFIED: true, SUSPENDED: true, RETURNED: true })) outcome!: CreditOutcome['outcome'];
  @WireEnum([...SUSPENSE_REASONS, ...RETURN_REASONS], { required: false, description: 'why SUSPENDED or RETURNED' }) reason?: string;
  @WireIdentifier({ required: false, description: 'CLASSIFIED, or RETURNED by a lot' }) lotId?: string;
  @WireIdentifier({ required: false, description: 'CLASSIFIED to a known bidder' }) bidderId?: string;
  @ApiProperty({ required: false, description: 'CLASSIFIED: the bond the money went to' }) bondId?: string;
  @WireEnum(CREDIT_FLAGS, { isArray: true, description: 'CLASSIFIED only; empty otherwise' }) flags!: string[];
}

export class CreditStatusResponse {
  @ApiProperty(CREDIT_ID) creditId!: string;
  @WireIdentifier() bankRef!: string;
  @WireEnum(['REVERSED']) status!: 'REVERSED';
}

export class SuspenseResolutionResponse {
  @ApiProperty(CREDIT_ID) creditId!: string;
  @WireEnum(['MATCH', 'RETURN']) action!: 'MATCH' | 'RETURN';
  @WireEnum(['MATCHED', 'RETURNED']) status!: 'MATCHED' | 'RETURNED';
  @WireIdentifier({ required: false, description: 'MATCH only' }) lotId?: string;
  @ApiProperty({ required: false, description: 'MATCH only: the bond the money went to' }) bondId?: string;
  @WireIdentifier({ required: false, description: 'MATCH to a known bidder' }) bidderId?: string;
  @WireVirtualAccountNo({ required: false, description: 'MATCH only' }) virtualAccountNo?: string;
  @WireEnum(CREDIT_FLAGS, { isArray: true, required: false, description: 'MATCH only' }) flags?: string[];
}

/** One credit of a package: what POST /v1/inbound-credits would have answered for it. */
export class InboundCreditBatchResult {
  @ApiProperty({ description: "the credit's place in the package, from 0" }) index!: number;
  @ApiProperty({ description: 'the status the single route would answer: 201, 200 (the same bankRef and body again), or its 4xx' }) status!: number;
  @ApiProperty({
    description: "the single route's answer, or its error body",
    oneOf: [{ $ref: getSchemaPath(InboundCreditResponse) }, { $ref: getSchemaPath(ApiErrorResponse) }],
  })
  body!: InboundCreditResponse | ApiErrorResponse;
}

export class InboundCreditBatchResponse {
  @ApiProperty({ type: [InboundCreditBatchResult] }) results!: InboundCreditBatchResult[];
}
