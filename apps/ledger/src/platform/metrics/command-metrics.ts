import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyRequest, onSendHookHandler } from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER } from '../http/idempotency-headers';
import type { LedgerMetrics } from './ledger-metrics';
import { reachedHandlerOf, rememberRoute } from './route-of';

/**
 * Not a gate: lets every request through. A global guard registered after the access guard (MetricsModule
 * is imported after AuthModule), so it runs where a request has passed access control and is about to
 * reach its handler: before the Idempotency-Key is read and the body validated, whose refusals are
 * counted as the command's outcome. A guard returning a boolean costs Nest no await; an interceptor would
 * cost an rxjs pipeline and an AsyncResource per request (docs/benchmarks.md).
 */
@Injectable()
export class CommandMetricsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    rememberRoute(context.switchToHttp().getRequest<FastifyRequest>(), context.getHandler().name);
    return true;
  }
}

/**
 * An onSend hook counting every command request (a POST that reached its handler) by route, handler and
 * outcome: the success status name (CREATED, OK), IDEMPOTENT_REPLAY for an answer given again, or the
 * answer's `error.code` (ApiExceptionFilter writes every error in the API's shape).
 */
export function countCommandsOnSend(metrics: LedgerMetrics): onSendHookHandler {
  return (request, reply, payload, done) => {
    const reached = request.method === 'POST' ? reachedHandlerOf(request) : undefined;
    if (reached !== undefined) {
      const status = reply.statusCode;
      const outcome = reply.hasHeader(IDEMPOTENT_REPLAYED_HEADER) ? 'IDEMPOTENT_REPLAY' : status < 400 ? statusName(status) : errorCodeOf(payload, status);
      metrics.countCommand(reached.route, reached.command, outcome);
    }
    done(null, payload);
  };
}

function statusName(status: number): string {
  return HttpStatus[status] ?? String(status);
}

/** The `error.code` of an error answer; a body without one (a controller's own) counts as its status name. */
function errorCodeOf(payload: unknown, status: number): string {
  if (typeof payload === 'string') {
    try {
      const code = (JSON.parse(payload) as { error?: { code?: unknown } } | null)?.error?.code;
      if (typeof code === 'string') return code;
    } catch {
      // not JSON: counted by its status below
    }
  }
  return HttpStatus[status] ?? `HTTP_${status}`;
}
