import { ApiProperty } from '@nestjs/swagger';
import { type RefundBlockReason, type RefundNotInstructed, type BondStatus, DAY_COUNTS, type DayCount, type Posting, type PostingSide, type RefundInstructed } from '@app/domain';
import { PayerDto } from '../inbound/inbound.dto';
import { RateEntryDto } from '../setup/setup.dto';
import { WireAmount, WireDate, WireEnum, WireIdentifier, WireInstant, valuesOf } from '../../platform/http/wire-forms.responses';
import { AttributionDto, AwardDto, ForfeitureDto, ReasonDto, SigningRefusalDto, WithdrawalDto } from './lifecycle.dto';

export const REFUND_BLOCK_REASONS = valuesOf<RefundBlockReason>({
  REFUND_BEFORE_REFUNDABLE: true,
  REFUND_BEFORE_VALUE_DATE: true,
  NO_RATE_FOR_DATE: true,
  AMOUNT_LIMIT: true,
  INVALID_AMOUNT: true,
  INVALID_DATE: true,
  INVALID_RATE_SCHEDULE: true,
});

/** What the life-cycle routes answer (lifecycle.handlers.ts): the data of the lot event recorded. */

export const BOND_STATUSES = valuesOf<BondStatus>({ HELD: true, REFUND_DUE: true, REFUND_PENDING: true, REFUNDED: true, FORFEITED: true });

/** One side of a double entry: postings of one answer balance. */
export class PostingResponse implements Posting {
  @ApiProperty({ description: 'ledger account: "virtual:{virtualAccountNo}", "clearing:{bankCode}", "interest-expense:{bankCode}", …' }) account!: string;
  @WireEnum(valuesOf<PostingSide>({ DEBIT: true, CREDIT: true })) side!: PostingSide;
  @WireAmount() amount!: string;
}

export class WithdrawalResponse extends WithdrawalDto {
  @WireIdentifier() lotId!: string;
  @ApiProperty({ description: 'the notice came before the deposit deadline: refund due within 5 days; else the bonds become forfeitable' })
  beforeDeadline!: boolean;
  @WireDate({ required: false, description: 'before the deadline only' }) refundDueBy?: string;
  @ApiProperty({ type: [String], required: false, description: "the bidder's bonds held on the lot; absent while the lot is sealed (docs/security.md)" }) bondIds?: string[];
}

export class AwardResponse extends AwardDto {
  @WireIdentifier() lotId!: string;
  @WireDate({ description: 'contractSignedOn + 5 days' }) refundsDueBy!: string;
}

export class TerminationResponse extends ReasonDto {
  @WireIdentifier() lotId!: string;
  @WireInstant() terminatedAt!: string;
  @WireDate({ description: 'the day of termination' }) refundsDueBy!: string;
}

export class SigningRefusalResponse extends SigningRefusalDto {
  @WireIdentifier() lotId!: string;
  @ApiProperty({ type: [String], description: "the bidder's bonds held on the lot: forfeitable on ground REFUSED_TO_SIGN (Art. 74)" }) bondIds!: string[];
}

export class ForfeitureResponse extends ForfeitureDto {
  @WireIdentifier() lotId!: string;
  @ApiProperty() bondId!: string;
  @WireIdentifier() centerId!: string;
  @WireAmount({ description: 'the principal, to the center' }) amount!: string;
  @ApiProperty({ type: PostingResponse, isArray: true }) postings!: PostingResponse[];
}

type RefundInstruction = RefundInstructed['data'];

export class RefundInstructionResponse implements RefundInstruction {
  @WireIdentifier() lotId!: string;
  @ApiProperty() refundId!: string;
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @ApiProperty({ type: PayerDto, description: 'the account the bond came from (原路退回)' }) payTo!: PayerDto;
  @WireAmount() principal!: string;
  @WireAmount({ description: 'to refundOn, exclusive; rounded half up to the fen once' }) interest!: string;
  @WireAmount() total!: string;
  @WireDate() refundOn!: string;
  @WireDate() dueBy!: string;
  @ApiProperty({ description: 'refundOn is after dueBy: made and marked, never blocked' }) late!: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, description: '2 and more after failed settlements' }) attempt!: number;
  @WireEnum(DAY_COUNTS) dayCount!: DayCount;
  @ApiProperty({ type: RateEntryDto, isArray: true, description: "the lot's rate schedule" }) rates!: RateEntryDto[];
  @ApiProperty({ type: PostingResponse, isArray: true }) postings!: PostingResponse[];
}

/** A refundable bond the run could not instruct: nothing changed for it (refund-rules.ts). */
export class RefundNotInstructedResponse implements RefundNotInstructed {
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @WireEnum(REFUND_BLOCK_REASONS) reason!: RefundBlockReason;
  @ApiProperty() message!: string;
}

/** Opened lots answer `refunds` and `notRefunded`; a sealed lot answers `lotId`, `refundOn` and `sealed` alone (docs/security.md). */
export class RefundRunResponse {
  @ApiProperty({ type: RefundInstructionResponse, isArray: true, required: false, description: 'one per bond instructed (not while sealed)' }) refunds?: RefundInstructionResponse[];
  @ApiProperty({ type: RefundNotInstructedResponse, isArray: true, required: false, description: 'each refundable bond the run could not instruct, with the reason (not while sealed)' })
  notRefunded?: RefundNotInstructedResponse[];
  @WireIdentifier({ required: false, description: 'while sealed only' }) lotId?: string;
  @WireDate({ required: false, description: 'while sealed only: the run was made for this day' }) refundOn?: string;
  @ApiProperty({ enum: [true], required: false, description: 'while sealed only: what the run instructed is withheld until the bids are opened' }) sealed?: true;
}

export class SettlementResponse {
  @ApiProperty() refundId!: string;
  @ApiProperty() bondId!: string;
  @WireEnum(['SETTLED', 'FAILED']) status!: 'SETTLED' | 'FAILED';
  @WireIdentifier() bankRef!: string;
  @WireEnum(BOND_STATUSES) bondStatus!: BondStatus;
}

/** POST /v1/bonds/{bondId}/attribution: the bond and the bidder it is now of. */
export class AttributionResponse extends AttributionDto {
  @WireIdentifier() lotId!: string;
  @ApiProperty({ description: 'the same id as before: a bond keeps the id it was opened under' }) bondId!: string;
}

/** POST /v1/refunds/{refundId}/redirection: where the bond's next refund pays. */
export class RedirectionResponse {
  @WireIdentifier() lotId!: string;
  @ApiProperty({ description: 'the failed refund redirected' }) refundId!: string;
  @ApiProperty() bondId!: string;
  @ApiProperty({ type: PayerDto, description: "the account the bond's next refund pays to" }) refundTo!: PayerDto;
  @WireEnum(BOND_STATUSES) bondStatus!: BondStatus;
}
