import { HttpStatus } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { apiErrorBody } from './api-error';
import { answerConditionally } from './conditional-get';
import { decodedSegment, pathOf } from './request-target';

/**
 * Fastify's `frameworkErrors`: a path with a malformed percent-encoding ("%E0%A4%A") cannot be routed.
 * It is answered 400 in the API's error shape naming the first segment that does not decode, as the
 * ledger always answered it. Fastify reports it before any hook runs, so the answer carries no request
 * id and is neither logged nor timed (nor was it before).
 */
export function answerUndecodablePath(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    // A parameter too long or an async constraint: neither exists with ledgerHttpAdapter's options.
    reply.send(error);
    return;
  }
  const segment = undecodableSegmentOf(request.url) ?? request.url;
  const body = JSON.stringify(apiErrorBody('BAD_REQUEST', `Failed to decode param '${segment}'`));
  reply.code(HttpStatus.BAD_REQUEST).type('application/json; charset=utf-8');
  reply.send(answerConditionally(request, reply, body));
}

function undecodableSegmentOf(url: string): string | undefined {
  return pathOf(url).split('/').find((segment) => decodedSegment(segment) === undefined);
}
