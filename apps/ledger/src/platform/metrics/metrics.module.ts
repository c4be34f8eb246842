import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CommandMetricsInterceptor } from './command-metrics.interceptor';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsController } from './metrics.controller';

/**
 * Global: command handlers, the idempotency records, the publisher and (later) projections report here.
 * Requests are timed by request-timer.ts, added to every request in ledger-app.ts.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [LedgerMetrics, { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor }],
  exports: [LedgerMetrics],
})
export class MetricsModule {}
