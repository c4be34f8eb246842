import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandContext } from '../commands/command-context';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ParseIdentifierPipe } from '../http/parse-identifier.pipe';
import {
  DeclareBasicAccountDto,
  DefineRateScheduleDto,
  IssueVirtualAccountDto,
  OpenMasterAccountDto,
  RegisterLotDto,
  RegisterTenderCenterDto,
} from './setup.dto';
import {
  DeclareBasicAccountCommand,
  DefineRateScheduleCommand,
  IssueVirtualAccountCommand,
  OpenMasterAccountCommand,
  RegisterLotCommand,
  RegisterTenderCenterCommand,
} from './setup.handlers';

/** Set-up routes of shared/API.md: tender systems and bank operations prepare centers, lots and accounts. */
@Controller('v1')
export class SetupController {
  constructor(private readonly commands: CommandBus) {}

  @Post('tender-centers')
  @HttpCode(HttpStatus.CREATED)
  registerTenderCenter(@Body() body: RegisterTenderCenterDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new RegisterTenderCenterCommand(body, context));
  }

  @Post('tender-centers/:centerId/master-accounts')
  @HttpCode(HttpStatus.CREATED)
  openMasterAccount(
    @Param('centerId', ParseIdentifierPipe) centerId: string,
    @Body() body: OpenMasterAccountDto,
    @RequestCommandContext() context: CommandContext,
  ) {
    return this.commands.execute(new OpenMasterAccountCommand(centerId, body, context));
  }

  @Post('interest-rate-schedules')
  @HttpCode(HttpStatus.CREATED)
  defineRateSchedule(@Body() body: DefineRateScheduleDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new DefineRateScheduleCommand(body, context));
  }

  @Post('lots')
  @HttpCode(HttpStatus.CREATED)
  registerLot(@Body() body: RegisterLotDto, @RequestCommandContext() context: CommandContext) {
    return this.commands.execute(new RegisterLotCommand(body, context));
  }

  @Post('lots/:lotId/virtual-accounts')
  @HttpCode(HttpStatus.CREATED)
  issueVirtualAccount(
    @Param('lotId', ParseIdentifierPipe) lotId: string,
    @Body() body: IssueVirtualAccountDto,
    @RequestCommandContext() context: CommandContext,
  ) {
    return this.commands.execute(new IssueVirtualAccountCommand(lotId, body, context));
  }

  @Post('bidders/:bidderId/basic-account')
  @HttpCode(HttpStatus.CREATED)
  declareBasicAccount(
    @Param('bidderId', ParseIdentifierPipe) bidderId: string,
    @Body() body: DeclareBasicAccountDto,
    @RequestCommandContext() context: CommandContext,
  ) {
    return this.commands.execute(new DeclareBasicAccountCommand(bidderId, body, context));
  }
}
