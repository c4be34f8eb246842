import { DynamicModule, Global, Module } from '@nestjs/common';
import { GracefulShutdown, SHUTDOWN_DRAIN_TIMEOUT_MS } from './graceful-shutdown';

/** Global: the probes read it; its gate (shutdown-gate.ts) is added to every request in ledger-app.ts. */
@Global()
@Module({})
export class ShutdownModule {
  static forDrainTimeout(drainTimeoutMs: number): DynamicModule {
    return {
      module: ShutdownModule,
      providers: [{ provide: SHUTDOWN_DRAIN_TIMEOUT_MS, useValue: drainTimeoutMs }, GracefulShutdown],
      exports: [GracefulShutdown],
    };
  }
}
