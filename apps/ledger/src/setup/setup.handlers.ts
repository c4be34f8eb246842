import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  basicAccountDecider,
  basicAccountStream,
  builtInRateScheduleEvent,
  lotDecider,
  lotStream,
  masterAccountDecider,
  masterAccountStream,
  rateScheduleDecider,
  rateScheduleStream,
  tenderCenterDecider,
  tenderCenterStream,
  virtualAccountRegistryDecider,
  virtualAccountRegistryStream,
  notFound,
} from '@app/domain';
import { EventStore, NO_STREAM, WrongExpectedVersionError } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { AggregateRepository } from '../commands/aggregate-repository';
import { CommandContext, eventMetadata } from '../commands/command-context';
import { RejectionError } from '../commands/rejection-error';
import { EVENT_STORE } from '../event-store/event-store.token';
import { Banks, LEDGER_BANKS } from '../ledger/banks';
import { LedgerFacts } from '../ledger/ledger-facts';
import {
  DeclareBasicAccountDto,
  DefineRateScheduleDto,
  IssueVirtualAccountDto,
  OpenMasterAccountDto,
  RegisterLotDto,
  RegisterTenderCenterDto,
} from './setup.dto';

export class RegisterTenderCenterCommand {
  constructor(readonly body: RegisterTenderCenterDto, readonly context: CommandContext) {}
}
export class OpenMasterAccountCommand {
  constructor(readonly centerId: string, readonly body: OpenMasterAccountDto, readonly context: CommandContext) {}
}
export class DefineRateScheduleCommand {
  constructor(readonly body: DefineRateScheduleDto, readonly context: CommandContext) {}
}
export class RegisterLotCommand {
  constructor(readonly body: RegisterLotDto, readonly context: CommandContext) {}
}
export class IssueVirtualAccountCommand {
  constructor(readonly lotId: string, readonly body: IssueVirtualAccountDto, readonly context: CommandContext) {}
}
export class DeclareBasicAccountCommand {
  constructor(readonly bidderId: string, readonly body: DeclareBasicAccountDto, readonly context: CommandContext) {}
}

@CommandHandler(RegisterTenderCenterCommand)
export class RegisterTenderCenterHandler implements ICommandHandler<RegisterTenderCenterCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ body, context }: RegisterTenderCenterCommand) {
    const { events } = await this.repository.execute(
      tenderCenterStream(body.centerId),
      tenderCenterDecider,
      () => ({ type: 'RegisterTenderCenter' as const, centerId: body.centerId, name: body.name }),
      context,
    );
    return events[0].data;
  }
}

@CommandHandler(OpenMasterAccountCommand)
export class OpenMasterAccountHandler implements ICommandHandler<OpenMasterAccountCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: LedgerFacts,
    @Inject(LEDGER_BANKS) private readonly banks: Banks,
  ) {}

  async execute({ centerId, body, context }: OpenMasterAccountCommand) {
    const { events } = await this.repository.execute(
      masterAccountStream(body.accountNo),
      masterAccountDecider,
      async () => ({
        type: 'OpenMasterAccount' as const,
        centerId,
        ...body,
        centerExists: await this.facts.centerExists(centerId),
        virtualAccountPrefix: this.banks.prefixOf(body.bankCode),
      }),
      context,
    );
    return events[0].data;
  }
}

@CommandHandler(DefineRateScheduleCommand)
export class DefineRateScheduleHandler implements ICommandHandler<DefineRateScheduleCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ body, context }: DefineRateScheduleCommand) {
    const { events } = await this.repository.execute(
      rateScheduleStream(body.scheduleId),
      rateScheduleDecider,
      () => ({ type: 'DefineRateSchedule' as const, scheduleId: body.scheduleId, dayCount: body.dayCount, entries: body.entries.map((e) => ({ ...e })) }),
      context,
    );
    return events[0].data;
  }
}

@CommandHandler(RegisterLotCommand)
export class RegisterLotHandler implements ICommandHandler<RegisterLotCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: LedgerFacts,
  ) {}

  async execute({ body, context }: RegisterLotCommand) {
    const { events } = await this.repository.execute(
      lotStream(body.lotId),
      lotDecider,
      async () => ({
        type: 'RegisterLot' as const,
        ...body,
        centerExists: await this.facts.centerExists(body.centerId),
        rateScheduleExists: (await this.facts.rateSchedule(body.rateScheduleId)) !== undefined,
      }),
      context,
    );
    return events[0].data;
  }
}

@CommandHandler(IssueVirtualAccountCommand)
export class IssueVirtualAccountHandler implements ICommandHandler<IssueVirtualAccountCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: LedgerFacts,
  ) {}

  async execute({ lotId, body, context }: IssueVirtualAccountCommand) {
    const master = await this.facts.masterAccount(body.masterAccountNo);
    if (!master.exists) {
      throw new RejectionError(notFound('MASTER_ACCOUNT_NOT_FOUND', `no master account ${body.masterAccountNo}`, 'masterAccountNo'));
    }
    const lot = await this.facts.lot(lotId);
    // Numbers are allocated in the registry stream of the master account's bank prefix: the expected
    // revision makes two concurrent requests take two different sequences.
    const { events } = await this.repository.execute(
      virtualAccountRegistryStream(master.virtualAccountPrefix),
      virtualAccountRegistryDecider,
      () => ({
        type: 'IssueVirtualAccount' as const,
        lotId,
        masterAccountNo: body.masterAccountNo,
        ...(body.bidderId === undefined ? {} : { bidderId: body.bidderId }),
        prefix: master.virtualAccountPrefix,
        lot: lot.terms ? { centerId: lot.terms.centerId, acceptsVirtualAccounts: !lot.closedToCredits } : undefined,
        masterAccount: { centerId: master.centerId, bankCode: master.bankCode },
      }),
      context,
    );
    const { virtualAccountNo, masterAccountNo, bidderId } = events[0].data;
    return { virtualAccountNo, lotId, masterAccountNo, ...(bidderId === undefined ? {} : { bidderId }) };
  }
}

@CommandHandler(DeclareBasicAccountCommand)
export class DeclareBasicAccountHandler implements ICommandHandler<DeclareBasicAccountCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ bidderId, body, context }: DeclareBasicAccountCommand) {
    const { events } = await this.repository.execute(
      basicAccountStream(body.accountNo),
      basicAccountDecider,
      () => ({ type: 'DeclareBasicAccount' as const, bidderId, ...body }),
      context,
    );
    return events[0].data;
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
        [{ id: randomUUID(), type: event.type, data: { ...event.data, entries: event.data.entries.map((e) => ({ ...e })) }, metadata: eventMetadata(context) }],
        { expectedRevision: NO_STREAM },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
}
