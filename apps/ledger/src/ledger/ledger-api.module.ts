import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { BankConfig } from '../config/ledger-config';
import { InboundController } from '../inbound/inbound.controller';
import { RecordInboundCreditHandler, ReportCreditStatusHandler, ResolveSuspenseHandler } from '../inbound/inbound.handlers';
import { LifecycleController } from '../lifecycle/lifecycle.controller';
import {
  AwardLotHandler,
  ForfeitBondHandler,
  RefundBondsHandler,
  SettleRefundHandler,
  TerminateTenderHandler,
  WithdrawBidderHandler,
} from '../lifecycle/lifecycle.handlers';
import { LOT_CLOCK_TICK_MS, LotClock } from '../scheduler/lot-clock';
import { SetupController } from '../setup/setup.controller';
import {
  BuiltInRateSchedule,
  DeclareBasicAccountHandler,
  DefineRateScheduleHandler,
  IssueVirtualAccountHandler,
  OpenMasterAccountHandler,
  RegisterLotHandler,
  RegisterTenderCenterHandler,
} from '../setup/setup.handlers';
import { Banks, LEDGER_BANKS } from './banks';
import { LedgerFacts } from './ledger-facts';

/** How often the lot clock looks for deadlines and openings that have come. */
const LOT_CLOCK_TICK = 1_000;

/** The write side of shared/API.md: one command handler per command route. */
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
        LedgerFacts,
        BuiltInRateSchedule,
        LotClock,
        RegisterTenderCenterHandler,
        OpenMasterAccountHandler,
        DefineRateScheduleHandler,
        RegisterLotHandler,
        IssueVirtualAccountHandler,
        DeclareBasicAccountHandler,
        RecordInboundCreditHandler,
        ReportCreditStatusHandler,
        ResolveSuspenseHandler,
        WithdrawBidderHandler,
        AwardLotHandler,
        TerminateTenderHandler,
        ForfeitBondHandler,
        RefundBondsHandler,
        SettleRefundHandler,
      ],
    };
  }
}
