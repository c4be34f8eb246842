import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, IsDecimalRate, IsIdentifier, IsInstant, IsNestedObjectArray, IsWireAmount } from '../../platform/http/validators';

/** Free text fields (names, reasons) are bounded so a body cannot grow the log without limit. */
const TEXT_MAX = 200;

export class RegisterTenderCenterDto {
  @IsIdentifier() centerId!: string;
  @ApiProperty({ minLength: 1, maxLength: TEXT_MAX }) @IsString() @Length(1, TEXT_MAX) name!: string;
}

export class OpenMasterAccountDto {
  @IsIdentifier() bankCode!: string;
  @IsIdentifier() accountNo!: string;
  @ApiProperty({ minLength: 1, maxLength: TEXT_MAX }) @IsString() @Length(1, TEXT_MAX) accountName!: string;
}

export class RateEntryDto {
  @IsCalendarDate() effectiveFrom!: string;
  @IsDecimalRate() annualRate!: string;
}

export class DefineRateScheduleDto {
  @IsIdentifier() scheduleId!: string;
  @ApiProperty({ enum: ['ACT/360', 'ACT/365'] }) @IsIn(['ACT/360', 'ACT/365']) dayCount!: 'ACT/360' | 'ACT/365';
  @IsNestedObjectArray(() => RateEntryDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  entries!: RateEntryDto[];
}

export class RegisterLotDto {
  @IsIdentifier() lotId!: string;
  @IsIdentifier() centerId!: string;
  @IsIdentifier() projectCode!: string;
  @ApiProperty({ minLength: 1, maxLength: TEXT_MAX }) @IsString() @Length(1, TEXT_MAX) name!: string;
  @IsWireAmount() estimatedPrice!: string;
  @IsWireAmount() bondAmount!: string;
  @IsInstant() depositDeadline!: string;
  @IsInstant() bidOpeningTime!: string;
  @ApiProperty({ enum: ['ENFORCE', 'FLAG', 'OFF'] }) @IsIn(['ENFORCE', 'FLAG', 'OFF']) basicAccountPolicy!: 'ENFORCE' | 'FLAG' | 'OFF';
  @IsIdentifier() rateScheduleId!: string;
}

export class IssueVirtualAccountDto {
  @IsIdentifier() masterAccountNo!: string;
  @ApiPropertyOptional() @IsOptional() @IsIdentifier() bidderId?: string;
  /** Needed only when the center holds accounts of this number at several banks (AMBIGUOUS_MASTER_ACCOUNT). */
  @ApiPropertyOptional() @IsOptional() @IsIdentifier() bankCode?: string;
}

export class DeclareBasicAccountDto {
  @IsIdentifier() accountNo!: string;
  @ApiProperty({ minLength: 1, maxLength: TEXT_MAX }) @IsString() @Length(1, TEXT_MAX) accountName!: string;
  @IsIdentifier() bankCode!: string;
  /** The document a change of the bidder's basic account rests on; required to replace one (EVIDENCE_REQUIRED). */
  @ApiPropertyOptional({ minLength: 1, maxLength: TEXT_MAX, description: "the document a change rests on (e.g. the new account's opening permit); required to replace an account" })
  @IsOptional()
  @IsString()
  @Length(1, TEXT_MAX)
  evidenceRef?: string;
  /** The center the declaration is for: a center caller's own (the default); absent from an operator, the bank's (confirmed). */
  @ApiPropertyOptional({ description: "the declaring center: a center's own by default; from an operator, absent for the bank's confirmed declaration (valid for every center)" })
  @IsOptional()
  @IsIdentifier()
  centerId?: string;
}
