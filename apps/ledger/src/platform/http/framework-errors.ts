import { HttpStatus } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { echoRequestId } from '../logging/request-id';
import { apiErrorBody } from './api-error';

/**
 * Fastify's `frameworkErrors`: an error found before routing, which with ledgerHttpAdapter's options is
 * only a path whose percent-encoding is malformed ("/v1/lots/%E0%A4%A", FST_ERR_BAD_URL, 400). Answered
 * with its status in the API's error shape, the code the status's name as for Nest's own HTTP errors
 * (BAD_REQUEST); Fastify's answer would have its own shape. No hook runs for it, so the request id is
 * set here; the request is neither logged nor timed.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? HttpStatus.BAD_REQUEST;
  echoRequestId(request, reply);
  reply.code(status).send(apiErrorBody(HttpStatus[status] ?? `HTTP_${status}`, error.message));
}
