import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsCalendarDate, IsIdentifier, IsInstant } from '../http/validators';

export class WithdrawalDto {
  @IsIdentifier() bidderId!: string;
  @IsInstant() noticeReceivedAt!: string;
}

export class AwardDto {
  @IsIdentifier() winnerBidderId!: string;
  @IsCalendarDate() contractSignedOn!: string;
}

export class ReasonDto {
  @IsString() @Length(1, 500) reason!: string;
}

export class RefundRunDto {
  @IsCalendarDate() refundOn!: string;
}

export class RefundSettlementDto {
  @IsIn(['SETTLED', 'FAILED']) status!: 'SETTLED' | 'FAILED';
  @IsIdentifier() bankRef!: string;
  @IsOptional() @IsString() @Length(1, 500) reason?: string;
}
