import { DynamicModule, Module } from '@nestjs/common';
import type { LedgerConfig } from './config/ledger-config';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { structuredLoggingModule } from './logging/structured-logging.module';

@Module({})
export class LedgerModule {
  /** Built from an already validated config, so nothing inside the app reads process.env. */
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerModule,
      imports: [structuredLoggingModule(config.logLevel), EventStoreModule.forRoot(config.store), HealthModule],
    };
  }
}
