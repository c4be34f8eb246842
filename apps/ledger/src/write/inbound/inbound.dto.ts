import { IsIn, IsOptional, IsString, Length, Matches, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, IsIdentifier, IsInstant, IsNestedObject, IsWireAmount } from '../../platform/http/validators';

export class PayerDto {
  @IsIdentifier() accountNo!: string;
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @IsIdentifier() bankCode!: string;
}

export class InboundCreditDto {
  @IsIdentifier() bankRef!: string;
  @ApiProperty({ enum: ['HVPS', 'BEPS', 'INTERNAL'] }) @IsIn(['HVPS', 'BEPS', 'INTERNAL']) channel!: 'HVPS' | 'BEPS' | 'INTERNAL';
  @IsInstant() receivedAt!: string;
  @IsCalendarDate() valueDate!: string;
  @IsWireAmount() amount!: string;
  /** Any ISO 4217 code: money in another currency has arrived and is returned, not refused (CURRENCY_NOT_SUPPORTED). */
  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'CNY' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as "CNY"' }) currency!: string;
  @IsNestedObject(() => PayerDto) payer!: PayerDto;
  /** Not checked for form here: a mistyped number is money to put in suspense, not a request to refuse. */
  @ApiProperty({ minLength: 1, maxLength: 64 }) @IsString() @Length(1, 64) payeeAccountNo!: string;
  /** The receiving bank; absent: the bank of the payee number's prefix, else the ledger's first bank. */
  @ApiPropertyOptional() @IsOptional() @IsIdentifier() payeeBankCode?: string;
  @ApiPropertyOptional({ minLength: 0, maxLength: 500 }) @IsOptional() @IsString() @Length(0, 500) remittanceInfo?: string;
}

/** The most credits in one package (docs/api-contract.md). */
export const MAX_CREDITS_PER_BATCH = 1_000;

/** POST /v1/inbound-credit-batches, as documented: the route checks the envelope and then each credit on its own. */
export class InboundCreditBatchDto {
  @ApiProperty({ type: [InboundCreditDto], minItems: 1, maxItems: MAX_CREDITS_PER_BATCH }) credits!: InboundCreditDto[];
}

export class CreditStatusDto {
  @ApiProperty({ enum: ['REVERSED'] }) @IsIn(['REVERSED']) status!: 'REVERSED';
  @IsIdentifier() bankRef!: string;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class SuspenseResolutionDto {
  @ApiProperty({ enum: ['MATCH', 'RETURN'] }) @IsIn(['MATCH', 'RETURN']) action!: 'MATCH' | 'RETURN';
  /** 19 digits for MATCH; a RETURN naming an account is ambiguous and refused, whatever the number. */
  @ApiPropertyOptional({ pattern: '^\\d{19}$', description: 'required for MATCH, not allowed for RETURN' })
  @ValidateIf((dto: SuspenseResolutionDto) => dto.action === 'MATCH' || dto.virtualAccountNo !== undefined)
  @ValidateBy({
    name: 'isVirtualAccountNoForMatch',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as SuspenseResolutionDto | undefined)?.action === 'MATCH' && typeof value === 'string' && /^\d{19}$/.test(value),
      defaultMessage: () => 'virtualAccountNo is required for MATCH (19 digits) and not allowed for RETURN',
    },
  })
  virtualAccountNo?: string;
}
