import { Injectable, NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { HttpRequest } from '../http/http-request';
import { LedgerMetrics } from './ledger-metrics';
import { routeOf } from './route-of';

/** Times every request from the first middleware to the end of its answer (or its aborted connection). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: LedgerMetrics) {}

  use(request: HttpRequest, response: ServerResponse, next: () => void): void {
    const started = performance.now();
    response.once('close', () => {
      const status = response.writableFinished ? String(response.statusCode) : 'aborted';
      this.metrics.observeHttpRequest(request.method ?? '', routeOf(request), status, (performance.now() - started) / 1_000);
    });
    next();
  }
}
