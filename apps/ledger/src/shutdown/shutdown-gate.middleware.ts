import { HttpStatus, Injectable, NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiException } from '../http/api-error';
import type { HttpRequest } from '../http/http-request';
import { GracefulShutdown } from './graceful-shutdown';

/** Probes and scrapes answer for themselves during a shutdown (liveness stays 200, readiness says 503). */
const UNGATED_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

export function shuttingDownError(): ApiException {
  return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, 'SHUTTING_DOWN', 'this ledger instance is shutting down; retry the request, another instance will take it');
}

/**
 * Refuses requests once the shutdown began and counts the admitted ones, so the shutdown can wait for
 * them. Runs after pino-http's middleware, so a refusal is logged with its request id.
 */
@Injectable()
export class ShutdownGateMiddleware implements NestMiddleware {
  constructor(private readonly shutdown: GracefulShutdown) {}

  use(request: HttpRequest, response: ServerResponse, next: () => void): void {
    if (UNGATED_PATHS.has((request.originalUrl ?? request.url ?? '').split('?')[0])) return next();
    if (this.shutdown.shuttingDown) {
      // The client's next attempt should open a new connection, to an instance that is still serving.
      response.setHeader('Connection', 'close');
      throw shuttingDownError();
    }
    this.shutdown.track(response);
    next();
  }
}
