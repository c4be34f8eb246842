import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, IsIdentifier, IsInstant } from '../../platform/http/validators';

export class WithdrawalDto {
  @IsIdentifier() bidderId!: string;
  @IsInstant() noticeReceivedAt!: string;
}

export class AwardDto {
  @IsIdentifier() winnerBidderId!: string;
  @IsCalendarDate() contractSignedOn!: string;
}

export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class RefundRunDto {
  @IsCalendarDate() refundOn!: string;
}

export class RefundSettlementDto {
  @ApiProperty({ enum: ['SETTLED', 'FAILED'] }) @IsIn(['SETTLED', 'FAILED']) status!: 'SETTLED' | 'FAILED';
  @IsIdentifier() bankRef!: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}
