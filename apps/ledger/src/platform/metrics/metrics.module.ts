import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CommandMetricsGuard } from './command-metrics';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsListener } from './metrics-listener';

/**
 * Global: command handlers, the idempotency records, the publisher and the projections report here.
 * Requests are timed by request-timer.ts and commands counted by command-metrics.ts's onSend hook, both
 * added to every request in ledger-app.ts; CommandMetricsGuard marks the requests that reached a handler.
 * The scrape is served by MetricsListener on its own port, started by main.ts (the API's port has no /metrics).
 */
@Global()
@Module({
  providers: [LedgerMetrics, MetricsListener, { provide: APP_GUARD, useClass: CommandMetricsGuard }],
  exports: [LedgerMetrics, MetricsListener],
})
export class MetricsModule {}
