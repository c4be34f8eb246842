import { HttpStatus } from '@nestjs/common';
import type { onRequestHookHandler } from 'fastify';
import { ApiException } from '../http/api-error';
import type { GracefulShutdown } from './graceful-shutdown';

/** Routes of probes, which answer for themselves during a shutdown (liveness stays 200, readiness says 503); metrics have a listener of their own. */
const UNGATED_ROUTES = new Set(['/health', '/health/live', '/health/ready']);

export function shuttingDownError(): ApiException {
  return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, 'SHUTTING_DOWN', 'this ledger instance is shutting down; retry the request, another instance will take it');
}

/**
 * An onRequest hook refusing requests once the shutdown began and counting the admitted ones, so the
 * shutdown can wait for them. Added after the request-logging hook, so a refusal is logged with its request id.
 */
export function shutdownGate(shutdown: GracefulShutdown): onRequestHookHandler {
  return (request, reply, done) => {
    if (UNGATED_ROUTES.has(request.routeOptions.url ?? '')) return done();
    if (shutdown.shuttingDown) {
      // The client's next attempt should open a new connection, to an instance that is still serving.
      reply.header('Connection', 'close');
      return done(shuttingDownError());
    }
    shutdown.track(reply.raw);
    done();
  };
}
