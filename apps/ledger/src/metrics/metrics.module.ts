import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CommandMetricsInterceptor } from './command-metrics.interceptor';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsController } from './metrics.controller';

/** Global: command handlers, the idempotency records, the publisher and (later) projections report here. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [LedgerMetrics, { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor }],
  exports: [LedgerMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
