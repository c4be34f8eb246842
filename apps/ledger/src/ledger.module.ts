import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import type { LedgerConfig } from './config/ledger-config';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { HttpConventionsModule } from './http/http-conventions.module';
import { ClockModule } from './clock.module';
import { LedgerApiModule } from './write/ledger-api.module';
import { structuredLoggingModule } from './logging/structured-logging.module';
import { QueriesModule } from './queries/queries.module';
import { MetricsModule } from './metrics/metrics.module';
import { PublishingModule } from './publishing/publishing.module';
import { ShutdownModule } from './shutdown/shutdown.module';

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
        QueriesModule.forConfig(config.readModelDbPath),
        PublishingModule.forConfig(config),
      ],
    };
  }
}
