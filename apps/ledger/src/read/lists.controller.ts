import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { instantMs } from '@app/domain';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@app/command-kernel';
import { type LotSummary, allBonds, allLotSummaries, rateScheduleOf, tableValues } from '@app/projections';
import { AllowedRoles, RequestCaller } from '../platform/auth/access.decorators';
import type { Caller } from '../platform/auth/roles';
import { assertCenterActsFor } from '../platform/auth/tenancy';
import { ApiErrorResponses, READ_MODEL_QUERY_ERRORS } from '../platform/http/api-error.responses';
import { ApiException } from '../platform/http/api-error';
import { RequestCommandContext } from '../platform/http/command-context.decorator';
import { ParseIdentifierPipe } from '../platform/http/parse-identifier.pipe';
import type { CenterMasterBalance } from '../platform/config/ledger-config';
import { sealedAccessOf } from './confidentiality';
import { BidderBondsResponse, LotsResponse, MasterAccountsResponse, RateSchedulesResponse } from './console.responses';
import { CENTER_MASTER_BALANCE } from './queries.controller';
import { ApiIdentifierQuery, optionalIdentifier } from './query-params';
import { lotView } from './query-views';
import { ReadModels } from './read-models.service';
import { bondViewOf, lotOrNotFound, masterAccountView, shownVirtualAccounts } from './lookups';
import { SealedLooks } from './sealed-looks';

/** Newest bid opening first; lots opening at the same instant by id. */
function byBidOpeningNewestFirst(a: LotSummary, b: LotSummary): number {
  const order = instantMs(b.terms.bidOpeningTime) - instantMs(a.terms.bidOpeningTime);
  return order !== 0 ? order : a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0;
}

/**
 * The lists the console shows (docs/api.md, "Routes for the console"): each item exactly what the single
 * route of docs/api-contract.md answers for it, to the same callers, with the seal asked the same way
 * (`sealedAccessOf`, `listable`, `disclosureOf` through `SealedLooks`).
 */
@Controller('v1')
export class ListsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly looks: SealedLooks,
    @Inject(CENTER_MASTER_BALANCE) private readonly centerMasterBalance: CenterMasterBalance,
  ) {}

  @ApiOkResponse({ type: LotsResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_QUERY'], 403: ['FORBIDDEN_TENANT'] })
  @ApiIdentifierQuery('centerId', "only this center's lots (a center: its own only, another's is 403 FORBIDDEN_TENANT)")
  @Get('lots')
  @AllowedRoles('center', 'operator', 'auditor')
  async lots(@Query('centerId') centerIdQuery: unknown, @RequestCaller() caller: Caller) {
    const centerId = optionalIdentifier(centerIdQuery, 'centerId');
    if (centerId !== undefined) assertCenterActsFor(caller, centerId, `center ${caller.subject} may not list the lots of center ${centerId}`, 'centerId');
    const models = await this.readModels.fresh();
    const lots = allLotSummaries(models.lots).filter(
      (lot) => (caller.role !== 'center' || lot.centerId === caller.subject) && (centerId === undefined || lot.centerId === centerId),
    );
    // As GET /v1/lots/{lotId}: what the seal shows unrecorded, so a sealed lot in its sealed view.
    return { lots: lots.sort(byBidOpeningNewestFirst).map((lot) => lotView(lot, sealedAccessOf(caller, lot) === 'SHOWN')) };
  }

  @ApiOkResponse({ type: BidderBondsResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS, { 400: ['INVALID_FIELD'], 403: ['FORBIDDEN_TENANT'] })
  @Get('bidders/:bidderId/bonds')
  @AllowedRoles('bidder', 'operator', 'auditor')
  async bidderBonds(
    @Param('bidderId', ParseIdentifierPipe) bidderId: string,
    @RequestCaller() caller: Caller,
    @RequestCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ) {
    // Another bidder's list is refused whatever it holds, so the answer tells nothing of who paid.
    if (caller.role === 'bidder' && caller.subject !== bidderId) throw new ApiException(403, 'FORBIDDEN_TENANT', `bidder ${caller.subject} may read its own bonds only`, 'bidderId');
    const models = await this.readModels.fresh();
    const lotOf = (lotId: string) => lotOrNotFound(models, lotId);
    const bonds = allBonds(models.bonds).filter((bond) => bond.bidderId === bidderId);
    // A bidder's own bonds are its own data (as GET /v1/bonds/{bondId}); bank staff's looks at sealed lots are recorded.
    if (caller.role !== 'bidder') await this.looks.disclose(caller, bonds.map((bond) => lotOf(bond.lotId)), 'bidderId', context, request);
    const today = this.looks.today();
    const ordered = bonds
      .map((bond, index) => ({ bond, index, lot: lotOf(bond.lotId) }))
      .sort((a, b) => byBidOpeningNewestFirst(a.lot, b.lot) || a.index - b.index);
    return { bidderId, asOf: today, bonds: ordered.map(({ bond }) => bondViewOf(models, bond, today)) };
  }

  @ApiOkResponse({ type: MasterAccountsResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS)
  @Get('master-accounts')
  @AllowedRoles('center', 'operator', 'auditor')
  async masterAccounts(@RequestCaller() caller: Caller, @RequestCommandContext() context: CommandContext, @Req() request: FastifyRequest) {
    const models = await this.readModels.fresh();
    const masters = tableValues(models.balances.masterAccounts)
      .filter((master) => caller.role !== 'center' || master.centerId === caller.subject)
      .sort((a, b) => (a.accountNo !== b.accountNo ? (a.accountNo < b.accountNo ? -1 : 1) : a.bankCode < b.bankCode ? -1 : a.bankCode > b.bankCode ? 1 : 0));
    const shown = masters.map((master) => ({ master, accounts: shownVirtualAccounts(models, caller, master) }));
    await this.looks.disclose(caller, shown.flatMap(({ accounts }) => accounts.map((account) => lotOrNotFound(models, account.lotId))), 'accountNo', context, request);
    // Each as GET /v1/master-accounts/{accountNo}/balance answers it.
    return { masterAccounts: shown.map(({ master, accounts }) => masterAccountView(models, caller, master, accounts, this.centerMasterBalance)) };
  }

  @ApiOkResponse({ type: RateSchedulesResponse })
  @ApiErrorResponses(READ_MODEL_QUERY_ERRORS)
  @Get('interest-rate-schedules')
  @AllowedRoles('center', 'bidder', 'operator', 'auditor')
  async rateSchedules() {
    const models = await this.readModels.fresh();
    const schedules = Object.keys(models.rateSchedules.schedules)
      .sort()
      .map((scheduleId) => rateScheduleOf(models.rateSchedules, scheduleId)!)
      .map(({ scheduleId, dayCount, entries }) => ({ scheduleId, dayCount, entries: entries.map(({ effectiveFrom, annualRate }) => ({ effectiveFrom, annualRate })) }));
    return { schedules };
  }
}
