import { DynamicModule, Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { BankConfig } from '../platform/config/ledger-config';
import { InboundController } from './inbound/inbound.controller';
import { RecordInboundCreditBatchHandler, RecordInboundCreditHandler, ReportCreditStatusHandler, ResolveSuspenseHandler } from './inbound/inbound.handlers';
import { AttributeBondHandler, RedirectRefundHandler } from './lifecycle/bond-corrections.handlers';
import { LifecycleController } from './lifecycle/lifecycle.controller';
import {
  AwardLotHandler,
  ForfeitBondHandler,
  RecordSigningRefusalHandler,
  RefundBondsHandler,
  SettleRefundHandler,
  TerminateTenderHandler,
  WithdrawBidderHandler,
} from './lifecycle/lifecycle.handlers';
import { LOT_CLOCK_TICK_MS, LotClock } from './lot-clock';
import { SetupController } from './setup/setup.controller';
import {
  BuiltInRateSchedule,
  AddRateScheduleEntryHandler,
  DeclareBasicAccountHandler,
  DefineRateScheduleHandler,
  IssueVirtualAccountHandler,
  OpenMasterAccountHandler,
  RegisterLotHandler,
  RegisterTenderCenterHandler,
} from './setup/setup.handlers';
import { CommandKernel } from '@app/command-kernel';
import { eventSchemaVersion } from '@app/domain';
import { type EventStore, SqliteEventStore } from '@app/event-store';
import { CLOCK, type Clock } from '../platform/clock.module';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { IdempotencyKeyGuard } from './idempotency/idempotency-key.guard';
import { APP_GUARD } from '@nestjs/core';
import { LedgerMetrics } from '../platform/metrics/ledger-metrics';
import { Banks, LEDGER_BANKS } from './banks';
import { LedgerCommands } from './ledger-commands';
import { LedgerFacts } from './ledger-facts';

/** How often the lot clock looks for deadlines and openings that have come. */
const LOT_CLOCK_TICK = 1_000;

/** The write side of docs/api.md: the command kernel, the ledger's commands, one command handler per command route. */
@Module({})
export class LedgerApiModule {
  static forBanks(banks: BankConfig[]): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [SetupController, InboundController, LifecycleController],
      providers: [
        { provide: LEDGER_BANKS, useValue: new Banks(banks) },
        { provide: LOT_CLOCK_TICK_MS, useValue: LOT_CLOCK_TICK },
        {
          provide: CommandKernel,
          inject: [EVENT_STORE, LedgerMetrics],
          useFactory: (store: EventStore, metrics: LedgerMetrics) => {
            if (store instanceof SqliteEventStore) metrics.trackEmbeddedCommits(() => store.commitStats());
            const logger = new Logger(CommandKernel.name);
            return new CommandKernel(store, {
              schemaVersionOf: eventSchemaVersion,
              observer: {
                timeAppend: (writer, append) => metrics.timeAppend(writer, append),
                appended: (command, appends) => {
                  for (const { stream, types, position } of appends) logger.debug({ msg: 'events appended', command, stream, types, position: String(position) });
                },
                lostRace: (command, lostRaces) => logger.debug({ msg: 'another writer appended first; deciding again', command, lostRaces }),
              },
            });
          },
        },
        { provide: LedgerFacts, inject: [EVENT_STORE, LEDGER_BANKS], useFactory: (store: EventStore, ledgerBanks: Banks) => new LedgerFacts(store, ledgerBanks) },
        {
          provide: LedgerCommands,
          inject: [CommandKernel, LedgerFacts, CLOCK],
          useFactory: (kernel: CommandKernel, facts: LedgerFacts, clock: Clock) => new LedgerCommands(kernel, facts, clock),
        },
        { provide: APP_GUARD, useClass: IdempotencyKeyGuard },
        BuiltInRateSchedule,
        LotClock,
        RegisterTenderCenterHandler,
        OpenMasterAccountHandler,
        DefineRateScheduleHandler,
        AddRateScheduleEntryHandler,
        RegisterLotHandler,
        IssueVirtualAccountHandler,
        DeclareBasicAccountHandler,
        RecordInboundCreditHandler,
        RecordInboundCreditBatchHandler,
        ReportCreditStatusHandler,
        ResolveSuspenseHandler,
        WithdrawBidderHandler,
        AwardLotHandler,
        TerminateTenderHandler,
        ForfeitBondHandler,
        RecordSigningRefusalHandler,
        RefundBondsHandler,
        SettleRefundHandler,
        AttributeBondHandler,
        RedirectRefundHandler,
      ],
    };
  }
}
