import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CommandMetricsInterceptor } from './command-metrics.interceptor';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsListener } from './metrics-listener';

/**
 * Global: command handlers, the idempotency records, the publisher and the projections report here.
 * Requests are timed by request-timer.ts, added to every request in ledger-app.ts. The scrape is served by
 * MetricsListener on its own port, started by main.ts (the API's port has no /metrics).
 */
@Global()
@Module({
  providers: [LedgerMetrics, MetricsListener, { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor }],
  exports: [LedgerMetrics, MetricsListener],
})
export class MetricsModule {}
