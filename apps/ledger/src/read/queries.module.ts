import { DynamicModule, Module } from '@nestjs/common';
import type { LedgerConfig } from '../platform/config/ledger-config';
import { EventLogController } from './event-log.controller';
import { CENTER_MASTER_BALANCE, QueriesController } from './queries.controller';
import { READ_MODEL_DB_PATH, ReadModels } from './read-models.service';
import { SealedDataViews } from './sealed-data-views';

/** The read side of docs/api-contract.md: queries from the read models, and the raw event log for auditors. */
@Module({})
export class QueriesModule {
  static forConfig(config: Pick<LedgerConfig, 'readModelDbPath' | 'centerMasterBalance'>): DynamicModule {
    return {
      module: QueriesModule,
      controllers: [QueriesController, EventLogController],
      providers: [
        { provide: READ_MODEL_DB_PATH, useValue: config.readModelDbPath },
        { provide: CENTER_MASTER_BALANCE, useValue: config.centerMasterBalance },
        ReadModels,
        SealedDataViews,
      ],
      exports: [ReadModels],
    };
  }
}
