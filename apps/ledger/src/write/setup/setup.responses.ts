import { ApiProperty } from '@nestjs/swagger';
import { DAY_COUNTS, type DayCount, type MasterAccountOpenedData, type RateScheduleDefinedData } from '@app/domain';
import { WireEnum, WireIdentifier, WireVirtualAccountNo } from '../../platform/http/wire-forms.responses';
import { DeclareBasicAccountDto, OpenMasterAccountDto, RateEntryDto, RegisterLotDto, RegisterTenderCenterDto } from './setup.dto';

/**
 * What the set-up routes answer (setup.handlers.ts): the data of the event recorded. Most echo the
 * request, so they extend its DTO and its fields keep the forms the DTO states.
 */

export class TenderCenterResponse extends RegisterTenderCenterDto {}

export class MasterAccountResponse extends OpenMasterAccountDto implements MasterAccountOpenedData {
  @WireIdentifier() centerId!: string;

  @ApiProperty({ pattern: '^[1-9]\\d{5}$', description: "the bank's prefix of the 19-digit virtual account numbers issued under this account" })
  virtualAccountPrefix!: string;
}

/**
 * Not an extension of DefineRateScheduleDto: its validator documents `entries` as an unnamed $ref, so
 * the entries' class is named here.
 */
export class RateScheduleResponse implements RateScheduleDefinedData {
  @WireIdentifier() scheduleId!: string;
  @WireEnum(DAY_COUNTS) dayCount!: DayCount;
  @ApiProperty({ type: RateEntryDto, isArray: true }) entries!: RateEntryDto[];
}

/** A rate added to a schedule (RateScheduleEntryAdded). */
export class RateScheduleEntryResponse extends RateEntryDto {
  @WireIdentifier() scheduleId!: string;
  @ApiProperty({ format: 'date', description: 'the business date (Asia/Shanghai) it was recorded on; effectiveFrom is never before it' })
  addedOn!: string;
}

/** The lot's terms as registered. */
export class LotTermsResponse extends RegisterLotDto {}

export class VirtualAccountResponse {
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @WireIdentifier() lotId!: string;
  @WireIdentifier() masterAccountNo!: string;
  @WireIdentifier({ required: false, description: 'only on a per-bidder account' }) bidderId?: string;
}

export class AccountRefResponse {
  @WireIdentifier() accountNo!: string;
  @WireIdentifier() bankCode!: string;
}

export class BasicAccountResponse extends DeclareBasicAccountDto {
  @WireIdentifier() bidderId!: string;
  @ApiProperty({ type: AccountRefResponse, required: false, description: "the bidder's account in the same scope this one replaced" })
  replaces?: AccountRefResponse;
}
