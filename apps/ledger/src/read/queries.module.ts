import { DynamicModule, Module } from '@nestjs/common';
import type { LedgerConfig } from '../platform/config/ledger-config';
import { PdfWriter } from './documents/pdf-writer';
import { EventLogController } from './event-log.controller';
import { ListsController } from './lists.controller';
import { LotDocumentsController, PDF_WRITER } from './lot-documents.controller';
import { CENTER_MASTER_BALANCE, QueriesController } from './queries.controller';
import { READ_MODEL_DB_PATH, ReadModels } from './read-models.service';
import { SealedDataViews } from './sealed-data-views';
import { SealedLooks } from './sealed-looks';

/**
 * The read side of docs/api-contract.md: queries from the read models, and the raw event log for auditors;
 * the console's lists and documents (docs/api.md, "Routes for the console").
 */
@Module({})
export class QueriesModule {
  static forConfig(config: Pick<LedgerConfig, 'readModelDbPath' | 'centerMasterBalance' | 'pdfFont'>): DynamicModule {
    return {
      module: QueriesModule,
      controllers: [QueriesController, EventLogController, ListsController, LotDocumentsController],
      providers: [
        { provide: READ_MODEL_DB_PATH, useValue: config.readModelDbPath },
        { provide: CENTER_MASTER_BALANCE, useValue: config.centerMasterBalance },
        ReadModels,
        SealedDataViews,
        SealedLooks,
        { provide: PDF_WRITER, useValue: new PdfWriter(config.pdfFont) },
      ],
      exports: [ReadModels],
    };
  }
}
