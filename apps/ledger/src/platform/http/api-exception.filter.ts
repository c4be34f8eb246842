import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Rejection, RejectionKind } from '@app/domain';
import { RejectionError } from '@app/command-kernel';
import { ApiException, apiErrorBody } from './api-error';

const STATUS_OF_REJECTION: Record<RejectionKind, number> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  BUSINESS_RULE: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** A domain refusal as the API answers it: its status and error body. */
export function rejectionAnswer({ kind, code, message, field }: Rejection): Answer {
  return { status: STATUS_OF_REJECTION[kind], body: apiErrorBody(code, message, field) };
}

interface Answer {
  status: number;
  /** An ApiErrorBody, except for a body a controller built itself (see answerForHttpException). */
  body: object;
}

/** Every error leaves the service in the API's shape; stacks go to the log, never to the caller. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    const answer = this.answerFor(exception, http.getRequest<FastifyRequest>());
    if (httpAdapter.isHeadersSent(response)) httpAdapter.end(response);
    else httpAdapter.reply(response, answer.body, answer.status);
  }

  private answerFor(exception: unknown, request: FastifyRequest): Answer {
    if (exception instanceof RejectionError) return rejectionAnswer(exception.rejection);
    if (exception instanceof ApiException) return { status: exception.getStatus(), body: exception.body };
    if (isNoRoute(exception, request)) {
      const path = request.originalUrl.split('?')[0];
      return { status: HttpStatus.NOT_FOUND, body: apiErrorBody('ROUTE_NOT_FOUND', `no route for ${request.method} ${path}`) };
    }
    if (exception instanceof HttpException) return this.answerForHttpException(exception);
    this.logger.error({ msg: 'request failed with an unexpected error', err: exception });
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: apiErrorBody('INTERNAL_ERROR', 'the ledger could not process the request; the error has been logged'),
    };
  }

  private answerForHttpException(exception: HttpException): Answer {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (status >= 500) this.logger.error({ msg: 'request failed', err: exception });
    // A body the controller built itself (the health probe's 503 report) is its answer; only Nest's
    // generic `{statusCode, message, error}` bodies are translated.
    if (typeof response === 'object' && !('statusCode' in response) && !('message' in response)) {
      return { status, body: response };
    }
    return { status, body: apiErrorBody(HttpStatus[status] ?? `HTTP_${status}`, messageOf(exception)) };
  }
}

/**
 * Nest's answer in Fastify's not-found handler, where a request that no route matched goes; or a path the
 * OpenAPI UI's files refuse with a 4xx error of @fastify/static (`/docs/%2e%2e/x`, not canonical): it names
 * no file, so no route, rather than a 500 for an error that is not Nest's. Only they have a wildcard route.
 */
function isNoRoute(exception: unknown, request: FastifyRequest): boolean {
  if (exception instanceof NotFoundException) return request.is404;
  const status = (exception as { statusCode?: unknown } | undefined)?.statusCode;
  return request.routeOptions.url?.endsWith('/*') === true && typeof status === 'number' && status >= 400 && status < 500;
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  const message = typeof response === 'object' && 'message' in response ? response.message : undefined;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message[0];
  return exception.message;
}
