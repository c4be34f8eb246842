import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { builtInRateScheduleEvent, eventSchemaVersion, rateScheduleStream } from '@app/domain';
import { eventMetadata } from '@app/command-kernel';
import { EventStore, NO_STREAM, WrongExpectedVersionError } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE } from '../../platform/event-store/event-store.token';
import { type CommandCall, LedgerCommands } from '../ledger-commands';
import type {
  DeclareBasicAccountDto,
  DefineRateScheduleDto,
  IssueVirtualAccountDto,
  OpenMasterAccountDto,
  RateEntryDto,
  RegisterLotDto,
  RegisterTenderCenterDto,
} from './setup.dto';

export class RegisterTenderCenterCommand {
  constructor(readonly body: RegisterTenderCenterDto, readonly call: CommandCall) {}
}
export class OpenMasterAccountCommand {
  constructor(readonly centerId: string, readonly body: OpenMasterAccountDto, readonly call: CommandCall) {}
}
export class DefineRateScheduleCommand {
  constructor(readonly body: DefineRateScheduleDto, readonly call: CommandCall) {}
}
export class AddRateScheduleEntryCommand {
  constructor(readonly scheduleId: string, readonly body: RateEntryDto, readonly call: CommandCall) {}
}
export class RegisterLotCommand {
  constructor(readonly body: RegisterLotDto, readonly call: CommandCall) {}
}
export class IssueVirtualAccountCommand {
  constructor(readonly lotId: string, readonly body: IssueVirtualAccountDto, readonly call: CommandCall) {}
}
export class DeclareBasicAccountCommand {
  /** `centerId`: the declaration's center (the caller's own for a center), undefined for the bank's. */
  constructor(readonly bidderId: string, readonly body: DeclareBasicAccountDto, readonly centerId: string | undefined, readonly call: CommandCall) {}
}

@CommandHandler(RegisterTenderCenterCommand)
export class RegisterTenderCenterHandler implements ICommandHandler<RegisterTenderCenterCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ body, call }: RegisterTenderCenterCommand) {
    return this.commands.registerTenderCenter(body, call);
  }
}

@CommandHandler(OpenMasterAccountCommand)
export class OpenMasterAccountHandler implements ICommandHandler<OpenMasterAccountCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ centerId, body, call }: OpenMasterAccountCommand) {
    return this.commands.openMasterAccount(centerId, body, call);
  }
}

@CommandHandler(DefineRateScheduleCommand)
export class DefineRateScheduleHandler implements ICommandHandler<DefineRateScheduleCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ body, call }: DefineRateScheduleCommand) {
    return this.commands.defineRateSchedule(body, call);
  }
}

@CommandHandler(AddRateScheduleEntryCommand)
export class AddRateScheduleEntryHandler implements ICommandHandler<AddRateScheduleEntryCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ scheduleId, body, call }: AddRateScheduleEntryCommand) {
    return this.commands.addRateScheduleEntry(scheduleId, body, call);
  }
}

@CommandHandler(RegisterLotCommand)
export class RegisterLotHandler implements ICommandHandler<RegisterLotCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ body, call }: RegisterLotCommand) {
    return this.commands.registerLot(body, call);
  }
}

@CommandHandler(IssueVirtualAccountCommand)
export class IssueVirtualAccountHandler implements ICommandHandler<IssueVirtualAccountCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ lotId, body, call }: IssueVirtualAccountCommand) {
    return this.commands.issueVirtualAccount(lotId, body, call);
  }
}

@CommandHandler(DeclareBasicAccountCommand)
export class DeclareBasicAccountHandler implements ICommandHandler<DeclareBasicAccountCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute({ bidderId, body, centerId, call }: DeclareBasicAccountCommand) {
    const { accountNo, accountName, bankCode, evidenceRef } = body;
    return this.commands.declareBasicAccount(bidderId, { accountNo, accountName, bankCode, centerId, evidenceRef }, call);
  }
}

/** Appends the built-in PBOC-DEMAND schedule once, so it is in the log auditors replay like any other. */
@Injectable()
export class BuiltInRateSchedule implements OnApplicationBootstrap {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const event = builtInRateScheduleEvent();
    const context = { correlationId: 'startup', causationId: 'startup', actor: 'system:ledger' };
    try {
      await this.store.appendToStream(
        rateScheduleStream(event.data.scheduleId),
        [{ id: randomUUID(), type: event.type, data: { ...event.data, entries: event.data.entries.map((e) => ({ ...e })) }, metadata: eventMetadata(context, eventSchemaVersion(event.type)) }],
        { expectedRevision: NO_STREAM },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
}
