import { IsIn, IsOptional, IsString, Length, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ForfeitureGround } from '@app/domain';
import { lotIdOf } from '@app/domain';
import { IsCalendarDate, IsIdentifier, IsInstant, isIdentifier } from '../../platform/http/validators';

/** A bond id as the ledger makes them (`bondIdFor`): its lot id after the hash is an identifier. */
function isBondId(value: string): boolean {
  const lotId = lotIdOf(value, 'B');
  return lotId !== undefined && isIdentifier(lotId);
}

const FORFEITURE_GROUNDS: readonly ForfeitureGround[] = ['WITHDRAWN_AFTER_DEADLINE', 'REFUSED_TO_SIGN'];

export class WithdrawalDto {
  @IsIdentifier() bidderId!: string;
  @IsInstant() noticeReceivedAt!: string;
}

/**
 * The winner by exactly one of `winnerBidderId` and `winnerBondId` (a lot paid through its lot account
 * knows its bonds by payer): neither is 400 MISSING_FIELD `winnerBidderId`, both 400 INVALID_FIELD `winnerBondId`.
 */
export class AwardDto {
  @ApiPropertyOptional({ description: 'the winning bidder; or winnerBondId' })
  @ValidateIf((award: AwardDto) => award.winnerBondId === undefined || award.winnerBidderId !== undefined)
  @IsIdentifier({ message: 'winnerBidderId must be an identifier naming the winning bidder, or winnerBondId must name the winning bond' })
  winnerBidderId?: string;
  @ApiPropertyOptional({ description: 'the winning bond (`B-…`, as GET /v1/lots/{lotId}/bonds lists it); or winnerBidderId' })
  @ValidateIf((award: AwardDto) => award.winnerBondId !== undefined)
  @ValidateBy({
    name: 'isWinnerBondId',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as AwardDto | undefined)?.winnerBidderId === undefined && typeof value === 'string' && isBondId(value),
      defaultMessage: (args?: ValidationArguments) =>
        (args?.object as AwardDto | undefined)?.winnerBidderId === undefined
          ? 'winnerBondId must be a bond id "B-{16 hex}-{lotId}"'
          : 'winnerBondId must not be sent with winnerBidderId: exactly one names the winner',
    },
  })
  winnerBondId?: string;
  @IsCalendarDate() contractSignedOn!: string;
}

export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

/** Forfeiture may name its legal ground, which the lot's history must record for the bond (docs/rules.md). */
export class ForfeitureDto extends ReasonDto {
  @ApiPropertyOptional({ enum: FORFEITURE_GROUNDS, description: 'WITHDRAWN_AFTER_DEADLINE (Art. 35) or REFUSED_TO_SIGN (Art. 74); without it, the ground the lot records for the bond' })
  @IsOptional()
  @IsIn(FORFEITURE_GROUNDS)
  ground?: ForfeitureGround;
}

/** Art. 74: the winner the center chose refused to sign the contract (POST /v1/lots/{lotId}/signing-refusals). */
export class SigningRefusalDto {
  @IsIdentifier() bidderId!: string;
  @IsCalendarDate() refusedOn!: string;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class RefundRunDto {
  @IsCalendarDate() refundOn!: string;
}

/** A bond's bidder, named by its lot's center after bid opening (POST /v1/bonds/{bondId}/attribution). */
export class AttributionDto {
  @IsIdentifier() bidderId!: string;
}

/** Another account of the bond's payer for a failed refund (POST /v1/refunds/{refundId}/redirection). */
export class RedirectionDto {
  @IsIdentifier() accountNo!: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: "the account's name; absent: the bond's payer's. Must be the payer's name" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  accountName?: string;
  @IsIdentifier() bankCode!: string;
  @ApiProperty({ minLength: 1, maxLength: 200, description: "the bank's reference of the payer's proof documents" })
  @IsString()
  @Length(1, 200)
  evidenceRef!: string;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class RefundSettlementDto {
  @ApiProperty({ enum: ['SETTLED', 'FAILED'] }) @IsIn(['SETTLED', 'FAILED']) status!: 'SETTLED' | 'FAILED';
  @IsIdentifier() bankRef!: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}
