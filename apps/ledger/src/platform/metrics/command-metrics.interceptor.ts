import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import { RejectionError } from '@app/command-kernel';
import { ApiException } from '../http/api-error';
import { IDEMPOTENT_REPLAYED_HEADER } from '../http/idempotency-headers';
import { LedgerMetrics } from './ledger-metrics';
import { rememberRoute } from './route-of';

/**
 * Names the route of every request that reaches a controller (for the request-duration histogram) and
 * counts every command request (a POST route) by outcome. Registered before the idempotency
 * interceptor (MetricsModule is imported first), so it also sees the answers replayed without running
 * the command.
 */
@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: LedgerMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const route = rememberRoute(request);
    if (request.method !== 'POST') return next.handle();
    const count = (outcome: string) => this.metrics.countCommand(route, context.getHandler().name, outcome);
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap({
        next: () => count(reply.hasHeader(IDEMPOTENT_REPLAYED_HEADER) ? 'IDEMPOTENT_REPLAY' : (HttpStatus[reply.statusCode] ?? String(reply.statusCode))),
        error: (error: unknown) => count(errorCodeOf(error)),
      }),
    );
  }
}

/** The `error.code` ApiExceptionFilter will answer with. */
function errorCodeOf(error: unknown): string {
  if (error instanceof RejectionError) return error.rejection.code;
  if (error instanceof ApiException) return error.body.error.code;
  if (error instanceof HttpException) return HttpStatus[error.getStatus()] ?? `HTTP_${error.getStatus()}`;
  return 'INTERNAL_ERROR';
}
