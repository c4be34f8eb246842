import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './platform/auth/auth.module';
import type { LedgerConfig } from './platform/config/ledger-config';
import { EventStoreModule } from './platform/event-store/event-store.module';
import { HealthModule } from './platform/health/health.module';
import { HttpConventionsModule } from './platform/http/http-conventions.module';
import { ClockModule } from './platform/clock.module';
import { LedgerApiModule } from './write/ledger-api.module';
import { structuredLoggingModule } from './platform/logging/structured-logging.module';
import { QueriesModule } from './read/queries.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { PublishingModule } from './read/publishing/publishing.module';
import { ShutdownModule } from './platform/shutdown/shutdown.module';

@Module({})
export class LedgerModule {
  /** Built from an already validated config, so nothing inside the app reads process.env. */
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerModule,
      imports: [
        structuredLoggingModule(config.logLevel),
        ShutdownModule.forDrainTimeout(config.shutdownDrainTimeoutMs),
        EventStoreModule.forRoot(config.store),
        HttpConventionsModule,
        AuthModule.forConfig(config.auth),
        MetricsModule,
        HealthModule,
        ClockModule,
        LedgerApiModule.forBanks(config.banks),
        QueriesModule.forConfig(config),
        PublishingModule.forConfig(config),
      ],
    };
  }
}
