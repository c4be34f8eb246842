import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AllowedRoles, RequestCaller } from '../../platform/auth/access.decorators';
import type { Caller } from '../../platform/auth/roles';
import { Tenancy } from '../../platform/auth/tenancy';
import type { FastifyReply } from 'fastify';
import { RequestCommandCall } from '../request-command-call';
import type { CommandCall } from '../ledger-commands';
import { respond } from '../command-answer';
import { ParseIdentifierPipe } from '../../platform/http/parse-identifier.pipe';
import {
  DeclareBasicAccountDto,
  DefineRateScheduleDto,
  IssueVirtualAccountDto,
  OpenMasterAccountDto,
  RateEntryDto,
  RegisterLotDto,
  RegisterTenderCenterDto,
} from './setup.dto';
import {
  AddRateScheduleEntryCommand,
  DeclareBasicAccountCommand,
  DefineRateScheduleCommand,
  IssueVirtualAccountCommand,
  OpenMasterAccountCommand,
  RegisterLotCommand,
  RegisterTenderCenterCommand,
} from './setup.handlers';
import { ApiErrorResponses, COMMAND_ERRORS } from '../../platform/http/api-error.responses';
import { ApiCommandAnswer } from '../command-answer.responses';
import {
  BasicAccountResponse,
  LotTermsResponse,
  MasterAccountResponse,
  RateScheduleEntryResponse,
  RateScheduleResponse,
  TenderCenterResponse,
  VirtualAccountResponse,
} from './setup.responses';

/**
 * Set-up routes of docs/api-contract.md: bank operations prepare everything; a center its own master
 * accounts, lots, virtual accounts and its bidders' basic accounts. Centers and rate schedules (the
 * bank's product terms) are the bank's alone.
 */
@Controller('v1')
export class SetupController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tenancy: Tenancy,
  ) {}

  @ApiCommandAnswer(TenderCenterResponse)
  @ApiErrorResponses(COMMAND_ERRORS, { 409: ['TENDER_CENTER_EXISTS'] })
  @Post('tender-centers')
  @AllowedRoles('operator')
  async registerTenderCenter(@Body() body: RegisterTenderCenterDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.commands.execute(new RegisterTenderCenterCommand(body, call)));
  }

  @ApiCommandAnswer(MasterAccountResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['TENDER_CENTER_NOT_FOUND'],
    409: ['MASTER_ACCOUNT_EXISTS'],
    422: ['BANK_NOT_SUPPORTED'],
  })
  @Post('tender-centers/:centerId/master-accounts')
  @AllowedRoles('operator', 'center')
  async openMasterAccount(
    @Param('centerId', ParseIdentifierPipe) centerId: string,
    @Body() body: OpenMasterAccountDto,
    @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply,
    @RequestCaller() caller: Caller,
  ) {
    this.tenancy.assertOwnCenter(caller, centerId, 'centerId');
    return respond(reply, await this.commands.execute(new OpenMasterAccountCommand(centerId, body, call)));
  }

  @ApiCommandAnswer(RateScheduleResponse)
  @ApiErrorResponses(COMMAND_ERRORS, { 409: ['RATE_SCHEDULE_EXISTS'], 422: ['EFFECTIVE_DATES_NOT_INCREASING'] })
  @Post('interest-rate-schedules')
  @AllowedRoles('operator')
  async defineRateSchedule(@Body() body: DefineRateScheduleDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.commands.execute(new DefineRateScheduleCommand(body, call)));
  }

  /** Item 6 of issue #14: a rate change, effective from today (Asia/Shanghai) or later, after the schedule's last entry. */
  @ApiCommandAnswer(RateScheduleEntryResponse)
  @ApiErrorResponses(COMMAND_ERRORS, { 404: ['RATE_SCHEDULE_NOT_FOUND'], 422: ['EFFECTIVE_DATE_IN_PAST', 'EFFECTIVE_DATES_NOT_INCREASING'] })
  @Post('interest-rate-schedules/:scheduleId/entries')
  @AllowedRoles('operator')
  async addRateScheduleEntry(
    @Param('scheduleId', ParseIdentifierPipe) scheduleId: string,
    @Body() body: RateEntryDto,
    @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new AddRateScheduleEntryCommand(scheduleId, body, call)));
  }

  @ApiCommandAnswer(LotTermsResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    400: ['INVALID_AMOUNT'],
    403: ['FORBIDDEN_TENANT'],
    404: ['TENDER_CENTER_NOT_FOUND', 'RATE_SCHEDULE_NOT_FOUND'],
    409: ['LOT_EXISTS'],
    422: ['BOND_EXCEEDS_LIMIT', 'DEADLINE_AFTER_OPENING'],
  })
  @Post('lots')
  @AllowedRoles('operator', 'center')
  async registerLot(@Body() body: RegisterLotDto, @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply, @RequestCaller() caller: Caller) {
    this.tenancy.assertOwnCenter(caller, body.centerId, 'centerId');
    return respond(reply, await this.commands.execute(new RegisterLotCommand(body, call)));
  }

  @ApiCommandAnswer(VirtualAccountResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    404: ['LOT_NOT_FOUND', 'MASTER_ACCOUNT_NOT_FOUND'],
    422: ['MASTER_ACCOUNT_OF_ANOTHER_CENTER', 'AMBIGUOUS_MASTER_ACCOUNT', 'LOT_CLOSED', 'VIRTUAL_ACCOUNT_NUMBERS_EXHAUSTED'],
  })
  @Post('lots/:lotId/virtual-accounts')
  @AllowedRoles('operator', 'center')
  async issueVirtualAccount(
    @Param('lotId', ParseIdentifierPipe) lotId: string,
    @Body() body: IssueVirtualAccountDto,
    @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply,
    @RequestCaller() caller: Caller,
  ) {
    await this.tenancy.assertOwnLot(caller, lotId);
    return respond(reply, await this.commands.execute(new IssueVirtualAccountCommand(lotId, body, call)));
  }

  /**
   * A center declares for itself (`centerId` its own, the default); an operator for a center it names, or
   * for the bank (no `centerId`: confirmed, valid for every center). docs/rules.md "Basic accounts".
   */
  @ApiCommandAnswer(BasicAccountResponse)
  @ApiErrorResponses(COMMAND_ERRORS, {
    403: ['FORBIDDEN_TENANT'],
    409: ['BASIC_ACCOUNT_ALREADY_DECLARED', 'BASIC_ACCOUNT_CONFIRMED'],
    422: ['EVIDENCE_REQUIRED'],
  })
  @Post('bidders/:bidderId/basic-account')
  @AllowedRoles('operator', 'center')
  async declareBasicAccount(
    @Param('bidderId', ParseIdentifierPipe) bidderId: string,
    @Body() body: DeclareBasicAccountDto,
    @RequestCommandCall() call: CommandCall, @Res({ passthrough: true }) reply: FastifyReply,
    @RequestCaller() caller: Caller,
  ) {
    if (body.centerId !== undefined) this.tenancy.assertOwnCenter(caller, body.centerId, 'centerId');
    const centerId = caller.role === 'center' ? caller.subject : body.centerId;
    return respond(reply, await this.commands.execute(new DeclareBasicAccountCommand(bidderId, body, centerId, call)));
  }
}
