import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server, ServerResponse } from 'node:http';

export const SHUTDOWN_DRAIN_TIMEOUT_MS = Symbol('SHUTDOWN_DRAIN_TIMEOUT_MS');

/**
 * The first step of a shutdown (Nest calls every onModuleDestroy before the Kafka publisher's
 * beforeApplicationShutdown, the HTTP server's close and the store's close): readiness turns 503 and
 * new requests are refused, then the requests already admitted are given a bounded time to finish.
 */
@Injectable()
export class GracefulShutdown implements OnModuleDestroy {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private inFlight = 0;
  private onIdle: (() => void) | undefined;

  constructor(
    @Inject(SHUTDOWN_DRAIN_TIMEOUT_MS) private readonly drainTimeoutMs: number,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  get shuttingDown(): boolean {
    return this.draining;
  }

  /** Counts an admitted request as in flight until its answer is sent or its connection drops. */
  track(response: ServerResponse): void {
    this.inFlight += 1;
    response.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.onIdle?.();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.draining = true;
    this.logger.log({ msg: 'shutting down: not ready, refusing new requests, draining those in flight', inFlight: this.inFlight, drainTimeoutMs: this.drainTimeoutMs });
    if (await this.drained()) {
      this.logger.log({ msg: 'in-flight requests drained' });
      return;
    }
    // Past the bound, stop waiting: the HTTP server's close would otherwise wait for them and keep the
    // store open. Their callers see a dropped connection and retry with the same Idempotency-Key or bank reference.
    this.logger.warn({ msg: 'requests still in flight after the drain timeout; closing their connections', inFlight: this.inFlight, drainTimeoutMs: this.drainTimeoutMs });
    (this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined)?.closeAllConnections();
  }

  private drained(): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.drainTimeoutMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
