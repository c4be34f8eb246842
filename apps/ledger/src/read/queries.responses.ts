import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { BondStatus, Channel, CreditFlag, ForfeitureGround, RefundBlockReason, SuspenseReason } from '@app/domain';
import type {
  BondRefund,
  BondTranche,
  BondView,
  LotStatus,
  LotVirtualAccount,
  OverdueRefundItem,
  RefundItem,
  RefundQueueStatus,
  SuspenseItem,
  SuspenseLotCredit,
  SuspenseStatus,
} from '@app/projections';
import { PayerDto } from '../write/inbound/inbound.dto';
import { CREDIT_FLAGS, SUSPENSE_REASONS } from '../write/inbound/inbound.responses';
import { BOND_STATUSES, REFUND_BLOCK_REASONS } from '../write/lifecycle/lifecycle.responses';
import { AwardDto, ReasonDto } from '../write/lifecycle/lifecycle.dto';
import { RegisterLotDto } from '../write/setup/setup.dto';
import { AMOUNT_PATTERN, WireAmount, WireDate, WireEnum, WireIdentifier, WireInstant, WirePosition, WireVirtualAccountNo, valuesOf } from '../platform/http/wire-forms.responses';
import type { lotView } from './query-views';

/**
 * What the query routes answer (queries.controller.ts, query-views.ts), shaped from the read models of
 * @app/projections. Balances are the money an account holds, positive.
 */

const REFUND_STATUSES = valuesOf<RefundQueueStatus>({ INSTRUCTED: true, SETTLED: true, FAILED: true });

// ---- GET /v1/lots/{lotId} ----

export class LotVirtualAccountResponse implements LotVirtualAccount {
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @WireIdentifier() masterAccountNo!: string;
  @WireIdentifier() bankCode!: string;
  @WireIdentifier({ required: false, description: 'a per-bidder account, once the lot is not sealed' }) bidderId?: string;
}

export class LotAwardResponse extends AwardDto {
  @WireDate({ description: 'contractSignedOn + 5 days' }) refundsDueBy!: string;
}

export class LotTerminationResponse extends ReasonDto {
  @WireInstant() terminatedAt!: string;
  @WireDate({ description: 'the day of termination' }) refundsDueBy!: string;
}

type LotView = ReturnType<typeof lotView>;

/** The lot's terms as registered, where it stands, and what is confidential once its bids are opened. */
export class LotResponse extends RegisterLotDto implements LotView {
  @WireEnum(valuesOf<LotStatus>({ OPEN: true, DEPOSITS_CLOSED: true, BIDS_OPENED: true, AWARDED: true, TERMINATED: true, REFUNDING: true, SETTLED: true }))
  status!: LotStatus;
  @ApiProperty({ description: 'true until the bids are opened: no bond count, total or bidders shown' }) sealed!: boolean;
  @ApiProperty() depositsClosed!: boolean;
  @ApiProperty({ type: LotAwardResponse, required: false }) award?: LotAwardResponse;
  @ApiProperty({ type: LotTerminationResponse, required: false }) termination?: LotTerminationResponse;
  @ApiProperty({ type: LotVirtualAccountResponse, isArray: true }) virtualAccounts!: LotVirtualAccountResponse[];
  @ApiProperty({ type: 'integer', minimum: 0, required: false, description: 'bonds with money in them; once not sealed' }) bondCount?: number;
  @WireAmount({ required: false, description: 'paid in, refunded and forfeited bonds included; once not sealed' }) totalPrincipal?: string;
}

// ---- bonds ----

export class BondTrancheResponse implements BondTranche {
  @ApiProperty() creditId!: string;
  @WireAmount() amount!: string;
  @WireDate({ description: 'interest counts from this day' }) valueDate!: string;
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @WireIdentifier() bankCode!: string;
}

export class BondRefundResponse implements BondRefund {
  @ApiProperty() refundId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @WireDate() refundOn!: string;
  @WireDate() dueBy!: string;
  @ApiProperty() late!: boolean;
  @WireAmount() principal!: string;
  @WireAmount() interest!: string;
  @WireAmount() total!: string;
  @WireEnum(REFUND_STATUSES) status!: RefundQueueStatus;
}

export class BondWithdrawalResponse {
  @WireInstant() noticeReceivedAt!: string;
  @ApiProperty() beforeDeadline!: boolean;
}

export class BondForfeitureResponse extends ReasonDto {
  @WireAmount() amount!: string;
}

export class InterestErrorResponse {
  @ApiProperty({ example: 'NO_RATE_FOR_DATE' }) reason!: string;
  @ApiProperty() message!: string;
}

/** Why a refund run today could not instruct a due bond (refund-rules.ts of @app/domain). */
export class RefundBlockedResponse {
  @WireEnum(REFUND_BLOCK_REASONS, { description: 'as a refund run answers it in notRefunded' }) reason!: RefundBlockReason;
  @ApiProperty() message!: string;
}

export class BondResponse implements BondView {
  @WireIdentifier() lotId!: string;
  @ApiProperty({ description: 'one bond per lot, bidder and payer account' }) bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @ApiProperty({ type: PayerDto, description: 'the account the bond came from and is refunded to (原路退回)' }) payer!: PayerDto;
  @WireAmount({ description: 'the sum of the tranches' }) principal!: string;
  @ApiProperty({ type: BondTrancheResponse, isArray: true }) tranches!: BondTrancheResponse[];
  @WireEnum(BOND_STATUSES) status!: BondStatus;
  @WireEnum(CREDIT_FLAGS, { isArray: true }) flags!: CreditFlag[];
  @ApiProperty({ description: 'the center may keep it: forfeitureGround says on which legal ground' }) forfeitable!: boolean;
  @WireEnum(['WITHDRAWN_AFTER_DEADLINE', 'REFUSED_TO_SIGN'], { required: false, description: 'withdrawn after the deadline (Art. 35) or refused to sign (Art. 74)' })
  forfeitureGround?: ForfeitureGround;
  @WireDate({ required: false }) refundDueBy?: string;
  @WireDate({ required: false, description: 'the day it became refundable: no refund of it may be dated before' }) refundableSince?: string;
  @ApiProperty({ type: PayerDto, required: false, description: "where the bond's refunds go since an operator redirected a failed one (instead of payer)" })
  refundTo?: PayerDto;
  @ApiProperty({ type: BondWithdrawalResponse, required: false }) withdrawal?: BondWithdrawalResponse;
  @ApiProperty({ type: BondRefundResponse, isArray: true, description: 'every refund instruction, failed ones included' }) refunds!: BondRefundResponse[];
  @ApiProperty() refundedLate!: boolean;
  @ApiProperty({ type: BondForfeitureResponse, required: false }) forfeiture?: BondForfeitureResponse;
  @WireDate({ description: "today's business date" }) asOf!: string;
  @WireAmount({ required: false, description: 'to interestTo, exclusive; absent with interestError' }) accruedInterest?: string;
  @WireDate({ required: false }) interestTo?: string;
  @ApiProperty({ type: InterestErrorResponse, required: false, description: 'why no interest could be computed' }) interestError?: InterestErrorResponse;
  @ApiProperty({ description: 'due, unpaid and past its refund date' }) overdue!: boolean;
  @ApiProperty({ type: RefundBlockedResponse, required: false, description: 'due, and a refund run dated asOf could not instruct it: the reason (NO_RATE_FOR_DATE, AMOUNT_LIMIT, …)' })
  refundBlocked?: RefundBlockedResponse;
}

export class LotBondsResponse {
  @WireIdentifier() lotId!: string;
  @WireDate({ description: "today's business date" }) asOf!: string;
  @ApiProperty({ type: BondResponse, isArray: true }) bonds!: BondResponse[];
}

// ---- balances ----

export class VirtualAccountBalanceResponse {
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @WireIdentifier() lotId!: string;
  @WireIdentifier() masterAccountNo!: string;
  @WireIdentifier() bankCode!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @WireAmount() balance!: string;
}

export class SubAccountBalanceResponse {
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @WireIdentifier() lotId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @WireAmount() balance!: string;
}

/** What a master account's `balance` covers (issue #15 item 4). */
export const MASTER_BALANCE_SCOPES = ['OPENED_LOTS', 'WHOLE_ACCOUNT'] as const;
export type MasterBalanceScope = (typeof MASTER_BALANCE_SCOPES)[number];

export class MasterAccountBalanceResponse {
  @WireIdentifier() accountNo!: string;
  @WireIdentifier() bankCode!: string;
  @WireIdentifier() centerId!: string;
  @ApiProperty({ required: false, description: 'absent while the read model has seen no MasterAccountOpened' }) accountName?: string;
  @WireAmount({ description: "what `balanceScope` names: OPENED_LOTS the sum of the listed (opened lots') accounts, the sealed lots' money left out; WHOLE_ACCOUNT all its virtual accounts" })
  balance!: string;
  @WireEnum(MASTER_BALANCE_SCOPES, {
    description: 'OPENED_LOTS: a center under CENTER_MASTER_BALANCE=opened-lots (the default); WHOLE_ACCOUNT: operators and auditors (a look while a lot in it is sealed is recorded), or a center under whole-account',
  })
  balanceScope!: MasterBalanceScope;
  @ApiProperty({ type: SubAccountBalanceResponse, isArray: true, description: "a center: its opened lots' accounts only" })
  virtualAccounts!: SubAccountBalanceResponse[];
}

// ---- GET /v1/suspense ----

export class SuspenseMatchResponse {
  @WireEnum(['MATCH']) action!: 'MATCH';
  @WireIdentifier() lotId!: string;
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @WireEnum(CREDIT_FLAGS, { isArray: true }) flags!: CreditFlag[];
}

export class SuspenseReturnResponse {
  @WireEnum(['RETURN']) action!: 'RETURN';
  @ApiProperty({ type: PayerDto }) returnTo!: PayerDto;
}

export class SuspenseReversalResponse {
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'the money was still in suspense' }) fromSuspense!: boolean;
}

export class SuspenseLotCreditResponse implements SuspenseLotCredit {
  @WireIdentifier() lotId!: string;
  @ApiProperty() bondId!: string;
  @WireVirtualAccountNo() virtualAccountNo!: string;
  @ApiProperty({ description: 'the match lost a race; the money went back to suspense' }) voided!: boolean;
  @ApiProperty({ description: 'the bank reported the credit as not settled' }) reversed!: boolean;
}

@ApiExtraModels(SuspenseMatchResponse, SuspenseReturnResponse)
export class SuspenseItemResponse implements SuspenseItem {
  @ApiProperty() creditId!: string;
  @WireIdentifier() bankRef!: string;
  @WireEnum(SUSPENSE_REASONS) reason!: SuspenseReason;
  @WireIdentifier({ description: 'the receiving bank, whose suspense account holds the money' }) bankCode!: string;
  @WireAmount() amount!: string;
  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'CNY' }) currency!: string;
  @WireEnum(valuesOf<Channel>({ HVPS: true, BEPS: true, INTERNAL: true })) channel!: Channel;
  @ApiProperty({ type: PayerDto }) payer!: PayerDto;
  @ApiProperty({ description: 'the payee number as received' }) payeeAccountNo!: string;
  @ApiProperty({ required: false }) remittanceInfo?: string;
  @WireInstant() receivedAt!: string;
  @WireDate() valueDate!: string;
  @WireEnum(valuesOf<SuspenseStatus>({ SUSPENDED: true, MATCHED: true, RETURNED: true, REVERSED: true })) status!: SuspenseStatus;
  @ApiProperty({ required: false, oneOf: [{ $ref: getSchemaPath(SuspenseMatchResponse) }, { $ref: getSchemaPath(SuspenseReturnResponse) }] })
  resolution?: SuspenseMatchResponse | SuspenseReturnResponse;
  @ApiProperty({ type: SuspenseReversalResponse, required: false }) reversal?: SuspenseReversalResponse;
  @ApiProperty({ type: SuspenseLotCreditResponse, isArray: true, description: 'bond credits a MATCH made of this money' }) lotCredits!: SuspenseLotCreditResponse[];
  @ApiProperty({ description: 'the money is in the suspense account now' }) inSuspense!: boolean;
  @WirePosition({ description: 'the global position of the suspension: the order of the list (not a time)' }) suspendedAt!: string;
}

export class SuspenseResponse {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', pattern: AMOUNT_PATTERN }, description: "bank code → its suspense account's balance", example: { '102100099996': '0.00' } })
  balances!: Record<string, string>;
  @ApiProperty({ type: SuspenseItemResponse, isArray: true, description: 'in suspension order' }) items!: SuspenseItemResponse[];
}

// ---- GET /v1/refunds ----

export class RefundRedirectionResponse {
  @ApiProperty({ type: PayerDto }) to!: PayerDto;
  @ApiProperty({ description: "the bank's reference of the payer's proof documents" }) evidenceRef!: string;
  @ApiProperty() reason!: string;
}

export class RefundItemResponse implements RefundItem {
  @ApiProperty() refundId!: string;
  @WireIdentifier() lotId!: string;
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @ApiProperty({ type: PayerDto, description: 'the account the bond came from (原路退回)' }) payTo!: PayerDto;
  @WireAmount() principal!: string;
  @WireAmount() interest!: string;
  @WireAmount() total!: string;
  @WireDate() refundOn!: string;
  @WireDate() dueBy!: string;
  @ApiProperty() late!: boolean;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @WireEnum(REFUND_STATUSES) status!: RefundQueueStatus;
  @WireIdentifier({ required: false, description: "the outgoing payment's bank reference, once reported" }) bankRef?: string;
  @ApiProperty({ required: false, description: 'FAILED: why the payment bounced' }) failureReason?: string;
  @ApiProperty({ type: RefundRedirectionResponse, required: false, description: "FAILED, then redirected by an operator: the bond's next refund pays to `to`" })
  redirection?: RefundRedirectionResponse;
  @WirePosition({ description: 'the global position of the instruction: the order of the list (not a time)' }) instructedAt!: string;
}

export class OverdueRefundResponse implements OverdueRefundItem {
  @WireIdentifier() lotId!: string;
  @ApiProperty() bondId!: string;
  @WireIdentifier({ required: false }) bidderId?: string;
  @WireAmount() principal!: string;
  @WireDate({ description: 'the last day on time (Art. 57: the contract + 5 days; Art. 35: the withdrawal notice + 5 days)' }) refundDueBy!: string;
  @WireInstant({ description: 'when the ledger found the limit passed (RefundOverdue)' }) observedAt!: string;
  @WireEnum(BOND_STATUSES, { description: 'the bond now: REFUND_DUE (no instruction out) or REFUND_PENDING while overdue' }) bondStatus!: BondStatus;
  @ApiProperty({ description: 'still owed: overdue now (false once refunded or forfeited; listed only while true)' }) open!: boolean;
  @ApiProperty({ required: false, description: "the bond's latest refund instruction since it became overdue" }) refundId?: string;
  @WirePosition({ description: 'the global position of the RefundOverdue: the order of the list (not a time)' }) overdueAt!: string;
}

export class RefundsResponse {
  @ApiProperty({ type: RefundItemResponse, isArray: true, description: 'in instruction order' }) refunds!: RefundItemResponse[];
  @ApiProperty({
    type: OverdueRefundResponse,
    isArray: true,
    description: 'bonds whose refund was still owed at its limit and is not paid yet (RefundOverdue, Art. 57), in the order recorded; not filtered by `status`',
  })
  overdue!: OverdueRefundResponse[];
}

// ---- GET /v1/basic-account-conflicts ----

export class ConflictingDeclarationResponse {
  @WireIdentifier() bidderId!: string;
  @WireIdentifier() accountNo!: string;
  @WireIdentifier() bankCode!: string;
  @ApiProperty() accountName!: string;
  @WireIdentifier({ required: false, description: "the declaring center; absent: the bank's (an operator's) or a legacy declaration" }) centerId?: string;
  @WireDate({ required: false, description: 'absent on a legacy (version-1) declaration' }) declaredOn?: string;
  @ApiProperty({ required: false }) evidenceRef?: string;
  @ApiProperty({ required: false, enum: [true], description: 'a version-1 declaration, from when the registry was one shared list' }) legacy?: true;
}

export class BasicAccountConflictResponse {
  @WireEnum(['ACCOUNT_SHARED', 'BIDDER_ACCOUNTS_DIFFER']) kind!: 'ACCOUNT_SHARED' | 'BIDDER_ACCOUNTS_DIFFER';
  @WireIdentifier({ required: false, description: 'ACCOUNT_SHARED: the account' }) bankCode?: string;
  @WireIdentifier({ required: false, description: 'ACCOUNT_SHARED: the account' }) accountNo?: string;
  @WireIdentifier({ required: false, description: 'BIDDER_ACCOUNTS_DIFFER: the bidder' }) bidderId?: string;
  @ApiProperty({ type: ConflictingDeclarationResponse, isArray: true, description: 'the declarations in force that conflict' }) declarations!: ConflictingDeclarationResponse[];
}

export class BasicAccountConflictsResponse {
  @ApiProperty({ type: BasicAccountConflictResponse, isArray: true, description: 'open conflicts: accounts held by several bidders, then bidders holding several accounts' })
  conflicts!: BasicAccountConflictResponse[];
}
