import { DynamicModule, Module } from '@nestjs/common';
import { EventLogController } from './event-log.controller';
import { QueriesController } from './queries.controller';
import { READ_MODEL_DB_PATH, ReadModels } from './read-models.service';
import { SealedDataViews } from './sealed-data-views';

/** The read side of docs/api-contract.md: queries from the read models, and the raw event log for auditors. */
@Module({})
export class QueriesModule {
  static forConfig(readModelDbPath: string): DynamicModule {
    return {
      module: QueriesModule,
      controllers: [QueriesController, EventLogController],
      providers: [{ provide: READ_MODEL_DB_PATH, useValue: readModelDbPath }, ReadModels, SealedDataViews],
      exports: [ReadModels],
    };
  }
}
