import type { onRequestHookHandler } from 'fastify';
import type { LedgerMetrics } from './ledger-metrics';
import { routeOf } from './route-of';

/**
 * An onRequest hook timing every request from there to the end of its answer (or its aborted
 * connection), for the request-duration histogram. Listens on the Node response, as Fastify's onResponse
 * hook is not called for a connection the client dropped.
 */
export function requestTimer(metrics: LedgerMetrics): onRequestHookHandler {
  return (request, reply, done) => {
    const started = performance.now();
    const response = reply.raw;
    response.once('close', () => {
      const status = response.writableFinished ? String(response.statusCode) : 'aborted';
      metrics.observeHttpRequest(request.method, routeOf(request), status, (performance.now() - started) / 1_000);
    });
    done();
  };
}
