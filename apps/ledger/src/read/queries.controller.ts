import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { masterAccountNamed } from '@app/domain';
import type { FastifyRequest } from 'fastify';
import {
  basicAccountConflicts,
  bondsOfLot,
  type MasterAccountBalance,
  lotSummaryOf,
  masterAccountsNumbered,
  overdueRefundsOf,
  refundsOf,
  suspenseItems,
  virtualAccountBalance,
} from '@app/projections';
import { AllowedRoles, RequestCaller } from '../platform/auth/access.decorators';
import type { Caller } from '../platform/auth/roles';
import { assertCenterActsFor } from '../platform/auth/tenancy';
import type { CommandContext } from '@app/command-kernel';
import { ApiException } from '../platform/http/api-error';
import { RequestCommandContext } from '../platform/http/command-context.decorator';
import { ParseIdentifierPipe } from '../platform/http/parse-identifier.pipe';
import type { CenterMasterBalance } from '../platform/config/ledger-config';
import { listable, sealedAccessOf } from './confidentiality';
import { ApiIdentifierQuery, ApiOneOfQuery, optionalIdentifier, optionalOneOf } from './query-params';
import { heldAmount, lotView } from './query-views';
import { ReadModels } from './read-models.service';
import { SealedLooks } from './sealed-looks';
import { bondShownTo, bondViewOf, lotOrNotFound, lotShownTo, masterAccountView, notFound, shownVirtualAccounts } from './lookups';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiErrorResponses, READ_MODEL_QUERY_ERRORS } from '../platform/http/api-error.responses';
import { BasicAccountConflictsResponse, BondResponse, LotBondsResponse, LotResponse, MasterAccountBalanceResponse, RefundsResponse, SuspenseResponse, VirtualAccountBalanceResponse } from './queries.responses';

const REFUND_STATUSES = ['INSTRUCTED', 'SETTLED', 'FAILED'] as const;
const SUSPENSE_STATUSES = ['SUSPENDED', 'MATCHED', 'RETURNED', 'REVERSED'] as const;

/** CENTER_MASTER_BALANCE: what a center is given as its master account's balance. */
export const CENTER_MASTER_BALANCE = Symbol('CENTER_MASTER_BALANCE');

/**
 * The query routes of docs/api-contract.md, answered from this replica's read models; what the caller
 * may see of a lot's money is the seal's (`sealedDataAccess`) by way of `disclosureOf`, `listable` and
 * `sealedAccessOf`, never decided here. Interest is accrued to today's business date (China
 * Standard Time): to the fen what a refund instructed today would pay.
 */
@Controller('v1')
export class QueriesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly looks: SealedLooks,
    @Inject(CENTER_MASTER_BALANCE) private readonly centerMasterBalance: CenterMasterBalance,
  ) {}

  @ApiOkResponse({ type: LotResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_FIELD'], 403: ['FORBIDDEN_TENANT'], 404: ['LOT_NOT_FOUND'] })
  @Get('lots/:lotId')
  @AllowedRoles('center', 'operator', 'auditor')
  async lot(@Param('lotId', ParseIdentifierPipe) lotId: string, @RequestCaller() caller: Caller) {
    const models = await this.readModels.fresh();
    const lot = lotOrNotFound(models, lotId);
    assertCenterActsFor(caller, lot.centerId, `lot ${lotId} belongs to another center`, 'lotId');
    // Only what the seal shows unrecorded: an operator's recorded look at sealed data has routes of its
    // own, so here everyone gets a sealed lot's sealed view (its status included).
    return lotView(lot, sealedAccessOf(caller, lot) === 'SHOWN');
  }

  @ApiOkResponse({ type: LotBondsResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_FIELD'], 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['LOT_NOT_FOUND'] })
  @Get('lots/:lotId/bonds')
  @AllowedRoles('center', 'operator', 'auditor')
  async bondsOfLot(
    @Param('lotId', ParseIdentifierPipe) lotId: string,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const models = await this.readModels.fresh();
    const lot = await lotShownTo(caller, models, lotId, this.looks, context, request);
    const today = this.looks.today();
    return { lotId, asOf: today, bonds: (bondsOfLot(models.bonds, lotId) ?? []).map((bond) => bondViewOf(models, bond, today)) };
  }

  @ApiOkResponse({ type: BondResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['BOND_NOT_FOUND'] })
  @Get('bonds/:bondId')
  @AllowedRoles('bidder', 'center', 'operator', 'auditor')
  async bond(
    @Param('bondId') bondId: string,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const models = await this.readModels.fresh();
    const bond = await bondShownTo(caller, models, bondId, this.looks, context, request);
    return bondViewOf(models, bond, this.looks.today());
  }

  @ApiOkResponse({ type: VirtualAccountBalanceResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_FIELD'], 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['VIRTUAL_ACCOUNT_NOT_FOUND'] })
  @Get('virtual-accounts/:virtualAccountNo/balance')
  @AllowedRoles('center', 'operator', 'auditor')
  async virtualAccountBalance(
    @Param('virtualAccountNo', ParseIdentifierPipe) virtualAccountNo: string,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const models = await this.readModels.fresh();
    const { link, balance } = virtualAccountBalance(models.balances, virtualAccountNo);
    if (link === undefined) throw notFound('VIRTUAL_ACCOUNT_NOT_FOUND', `no virtual account ${virtualAccountNo}`, 'virtualAccountNo');
    await this.looks.disclose(caller, [lotOrNotFound(models, link.lotId)], 'virtualAccountNo', context, request);
    return {
      virtualAccountNo,
      lotId: link.lotId,
      masterAccountNo: link.masterAccountNo,
      bankCode: link.bankCode,
      ...(link.bidderId !== undefined ? { bidderId: link.bidderId } : {}),
      balance: heldAmount(balance),
    };
  }

  @ApiOkResponse({ type: MasterAccountBalanceResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, {
    400: ['INVALID_FIELD', 'INVALID_QUERY'],
    403: ['FORBIDDEN_TENANT'],
    404: ['MASTER_ACCOUNT_NOT_FOUND'],
    422: ['AMBIGUOUS_MASTER_ACCOUNT'],
  })
  @ApiIdentifierQuery('bankCode', "the master account's bank; needed only when the caller may see accounts of this number at several banks (422 AMBIGUOUS_MASTER_ACCOUNT)")
  @Get('master-accounts/:accountNo/balance')
  @AllowedRoles('center', 'operator', 'auditor')
  async masterAccountBalance(
    @Param('accountNo', ParseIdentifierPipe) accountNo: string,
    @Query('bankCode') bankCodeQuery: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const bankCode = optionalIdentifier(bankCodeQuery, 'bankCode');
    const models = await this.readModels.fresh();
    const master = masterAccountFor(caller, masterAccountsNumbered(models.balances, accountNo), accountNo, bankCode);
    const shown = shownVirtualAccounts(models, caller, master);
    await this.looks.disclose(caller, shown.map((account) => lotOrNotFound(models, account.lotId)), 'accountNo', context, request);
    return masterAccountView(models, caller, master, shown, this.centerMasterBalance);
  }

  @ApiOkResponse({ type: SuspenseResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_QUERY'] })
  @ApiOneOfQuery('status', SUSPENSE_STATUSES, 'only items in this state')
  @ApiIdentifierQuery('bankCode', 'only items at this bank')
  @Get('suspense')
  @AllowedRoles('operator', 'auditor')
  async suspense(
    @Query('status') status: unknown,
    @Query('bankCode') bankCode: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const filter = { status: optionalOneOf(status, 'status', SUSPENSE_STATUSES), bankCode: optionalIdentifier(bankCode, 'bankCode') };
    const models = await this.readModels.fresh();
    const items = suspenseItems(models.suspense, filter);
    // A match names the lot and bond the money went to: sealed data when that lot is not opened yet.
    const matchedLots = items.flatMap((item) => item.lotCredits.map((credit) => lotSummaryOf(models.lots, credit.lotId))).filter((lot) => lot !== undefined);
    await this.looks.disclose(caller, matchedLots, 'lotId', context, request);
    const balances = Object.fromEntries(Object.entries(models.balances.suspenseByBank).map(([bank, balance]) => [bank, heldAmount(balance)]));
    return { balances, items };
  }

  /** Issue #14 item 5: the operators' queue of conflicting basic-account declarations (docs/rules.md "Basic accounts"). */
  @ApiOkResponse({ type: BasicAccountConflictsResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS)
  @Get('basic-account-conflicts')
  @AllowedRoles('operator', 'auditor')
  async basicAccountConflicts() {
    const models = await this.readModels.fresh();
    return { conflicts: basicAccountConflicts(models.basicAccountConflicts) };
  }

  @ApiOkResponse({ type: RefundsResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_QUERY'], 403: ['FORBIDDEN_TENANT', 'SEALED_UNTIL_BID_OPENING'], 404: ['LOT_NOT_FOUND'] })
  @ApiIdentifierQuery('lotId', 'only this lot (sealed lots: 403 for a center)')
  @ApiOneOfQuery('status', REFUND_STATUSES, 'only refunds in this state')
  @Get('refunds')
  @AllowedRoles('center', 'operator', 'auditor')
  async refunds(
    @Query('lotId') lotIdQuery: unknown,
    @Query('status') statusQuery: unknown,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    const lotId = optionalIdentifier(lotIdQuery, 'lotId');
    const status = optionalOneOf(statusQuery, 'status', REFUND_STATUSES);
    const models = await this.readModels.fresh();
    if (lotId !== undefined) {
      await this.looks.disclose(caller, [lotOrNotFound(models, lotId)], 'lotId', context, request);
      return { refunds: refundsOf(models.refunds, { lotId, status }), overdue: overdueRefundsOf(models.refunds, { lotId }) };
    }
    const lotOf = (id: string) => lotOrNotFound(models, id);
    // Without a lot, the list leaves out other centers' lots and those whose money the seal withholds from
    // the caller (a refund before opening is a withdrawn bidder's: it would tell who paid; so would its
    // overdue item).
    const shown = (item: { lotId: string }) => listable(caller, lotOf(item.lotId));
    const refunds = refundsOf(models.refunds, { status }).filter(shown);
    const overdue = overdueRefundsOf(models.refunds).filter(shown);
    await this.looks.disclose(caller, [...refunds, ...overdue].map((item) => lotOf(item.lotId)), 'lotId', context, request);
    return { refunds, overdue };
  }
}

/**
 * The master account a balance query names: the number, and the bank when given. The caller's own
 * accounts only for a center (the write side's rule, `masterAccountNamed`, over what the caller may
 * see): one fits → it; none → 403 FORBIDDEN_TENANT when another center holds the number (at that
 * bank), as for any other center's account, else 404; several → 422 AMBIGUOUS_MASTER_ACCOUNT, name the
 * bank in `bankCode`.
 */
function masterAccountFor(caller: Caller, numbered: readonly MasterAccountBalance[], accountNo: string, bankCode: string | undefined): MasterAccountBalance {
  const visible = caller.role === 'center' ? numbered.filter((master) => master.centerId === caller.subject) : numbered;
  const named = masterAccountNamed(accountNo, visible, caller.role === 'center' ? caller.subject : undefined, bankCode);
  if (!('rejected' in named)) return named;
  if (named.code === 'AMBIGUOUS_MASTER_ACCOUNT') throw new ApiException(422, named.code, named.message, 'bankCode');
  const another = numbered.find((master) => bankCode === undefined || master.bankCode === bankCode);
  if (another !== undefined) assertCenterActsFor(caller, another.centerId, `master account ${accountNo} belongs to another center`, 'accountNo');
  throw notFound('MASTER_ACCOUNT_NOT_FOUND', named.message, 'accountNo');
}
