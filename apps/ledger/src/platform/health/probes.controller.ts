import { Controller, Get, Inject } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { Public } from '../auth/access.decorators';
import { EVENT_STORE } from '../event-store/event-store.token';
import { GracefulShutdown } from '../shutdown/graceful-shutdown';
import { shuttingDownError } from '../shutdown/shutdown-gate';
import { HealthController, HealthReport } from './health.controller';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiErrorResponse } from '../http/api-error.responses';
import { HealthyResponse, LivenessResponse, UnhealthyResponse } from './health.responses';

/**
 * Kubernetes' two questions. Liveness: is the process worth keeping (restarting it fixes nothing a
 * dependency breaks, so it checks no dependency and stays 200 while draining). Readiness: should it
 * be sent traffic (the store answers and no shutdown has begun).
 */
@Public()
@Controller('health')
export class ProbesController {
  /** The same store check as GET /health. */
  private readonly health: HealthController;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly shutdown: GracefulShutdown,
  ) {
    this.health = new HealthController(store);
  }

  /** Answering at all shows the event loop turns; the delay shows how much work is queued on it. */
  @ApiOkResponse({ type: LivenessResponse })
  @Get('live')
  async live(): Promise<{ status: 'ok'; eventLoopDelayMs: number }> {
    const started = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    return { status: 'ok', eventLoopDelayMs: Math.round(performance.now() - started) };
  }

  /** 200 as GET /health; 503 with the store's report when it does not answer, 503 SHUTTING_DOWN once the shutdown began. */
  @ApiOkResponse({ type: HealthyResponse })
  @ApiExtraModels(UnhealthyResponse, ApiErrorResponse)
  @ApiServiceUnavailableResponse({
    description: "the event store does not answer (the store's report), or the instance is shutting down (SHUTTING_DOWN)",
    schema: { oneOf: [{ $ref: getSchemaPath(UnhealthyResponse) }, { $ref: getSchemaPath(ApiErrorResponse) }] },
  })
  @Get('ready')
  async ready(): Promise<HealthReport> {
    if (this.shutdown.shuttingDown) throw shuttingDownError();
    return this.health.check();
  }
}
