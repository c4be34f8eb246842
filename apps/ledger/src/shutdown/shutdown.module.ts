import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { GracefulShutdown, SHUTDOWN_DRAIN_TIMEOUT_MS } from './graceful-shutdown';
import { ShutdownGateMiddleware } from './shutdown-gate.middleware';

/** Global, so its gate is mounted before the feature modules' middleware (a refused request's body is never read). */
@Global()
@Module({})
export class ShutdownModule implements NestModule {
  static forDrainTimeout(drainTimeoutMs: number): DynamicModule {
    return {
      module: ShutdownModule,
      providers: [{ provide: SHUTDOWN_DRAIN_TIMEOUT_MS, useValue: drainTimeoutMs }, GracefulShutdown],
      exports: [GracefulShutdown],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ShutdownGateMiddleware).forRoutes('*');
  }
}
