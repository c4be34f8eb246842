import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID_HEADER = 'X-Request-Id';

/** Printable ASCII only and bounded, so a caller cannot put arbitrary text into our logs and headers. */
const ACCEPTABLE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Fastify's `genReqId`: keeps the caller's request id so one request can be followed across services;
 * otherwise makes one. It is the request's `id`, which RequestLogging hands to pino-http as the id of
 * the request's log lines.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  return typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Tells the caller the request's id. Set on the Node response, so it is on every answer however it is
 * written (Fastify merges its own headers into it), and in the `res.headers` of the request's log line.
 */
export function echoRequestId(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
}

/** echoRequestId for every request, as the first onRequest hook. */
export const echoRequestIdOnRequest: onRequestHookHandler = (request, reply, done) => {
  echoRequestId(request, reply);
  done();
};
